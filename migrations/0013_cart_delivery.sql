ALTER TABLE `carts` ADD `delivery_option_id` text;--> statement-breakpoint
ALTER TABLE `carts` ADD `delivery_name` text;--> statement-breakpoint
UPDATE `orders` SET `body` = json_set(`body`, '$.delivery', json('null'), '$.shipping_total', 0) WHERE json_type(`body`, '$.shipping_total') IS NULL;
