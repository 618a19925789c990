CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`body` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_until` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer
);
--> statement-breakpoint
CREATE INDEX `events_due_idx` ON `events` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `events_created_at_id_idx` ON `events` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `events_delivered_at_idx` ON `events` (`delivered_at`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`cart_id` text NOT NULL,
	`customer_id` text,
	`body` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `orders_created_at_id_idx` ON `orders` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `orders_cart_id_idx` ON `orders` (`cart_id`);--> statement-breakpoint
CREATE TABLE `products` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`prices` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`metadata` text DEFAULT '{}' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `cart_items` ADD `price_source` text DEFAULT 'custom' NOT NULL;--> statement-breakpoint
ALTER TABLE `carts` ADD `status` text DEFAULT 'open' NOT NULL;--> statement-breakpoint
ALTER TABLE `carts` ADD `order_id` text;