ALTER TABLE `carts` ADD `email` text;--> statement-breakpoint
ALTER TABLE `carts` ADD `note` text;--> statement-breakpoint
ALTER TABLE `carts` ADD `attributes` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `carts` ADD `shipping_address` text;--> statement-breakpoint
ALTER TABLE `carts` ADD `billing_address` text;