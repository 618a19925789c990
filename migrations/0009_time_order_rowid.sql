DROP INDEX `carts_created_at_id_idx`;--> statement-breakpoint
CREATE INDEX `carts_created_at_idx` ON `carts` (`created_at`);--> statement-breakpoint
DROP INDEX `events_created_at_id_idx`;--> statement-breakpoint
CREATE INDEX `events_created_at_idx` ON `events` (`created_at`);--> statement-breakpoint
DROP INDEX `orders_created_at_id_idx`;--> statement-breakpoint
DROP INDEX `orders_customer_idx`;--> statement-breakpoint
CREATE INDEX `orders_created_at_idx` ON `orders` (`created_at`);--> statement-breakpoint
CREATE INDEX `orders_customer_created_at_idx` ON `orders` (`customer_id`,`created_at`);