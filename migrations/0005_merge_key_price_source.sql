DROP INDEX `cart_items_merge_key`;--> statement-breakpoint
CREATE UNIQUE INDEX `cart_items_merge_key` ON `cart_items` (`cart_id`,`product_id`,`unit_price`,`metadata`,`price_source`);