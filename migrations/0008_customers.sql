ALTER TABLE `carts` ADD `customer_id` text;--> statement-breakpoint
CREATE INDEX `carts_customer_idx` ON `carts` (`customer_id`,`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `orders_customer_idx` ON `orders` (`customer_id`,`created_at`,`id`);