CREATE TABLE `tax_rates` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`country` text NOT NULL,
	`region` text,
	`category` text NOT NULL,
	`rate_bp` integer NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `tax_rates_country_idx` ON `tax_rates` (`country`);--> statement-breakpoint
ALTER TABLE `carts` ADD `external_tax` text;--> statement-breakpoint
ALTER TABLE `carts` ADD `external_tax_version` integer;--> statement-breakpoint
ALTER TABLE `products` ADD `tax_category` text DEFAULT 'standard' NOT NULL;--> statement-breakpoint
UPDATE `orders` SET `body` = json_set(`body`, '$.items', (SELECT json_group_array(json_set(`value`, '$.tax_lines', json('[]')) ORDER BY `key`) FROM json_each(`body`, '$.items')), '$.shipping_tax_lines', json('[]'), '$.tax_total', 0, '$.prices_include_tax', json('false')) WHERE json_type(`body`, '$.tax_total') IS NULL;
