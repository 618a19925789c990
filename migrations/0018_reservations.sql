ALTER TABLE `carts` ADD `reserved_until` integer;--> statement-breakpoint
CREATE INDEX `cart_items_product_idx` ON `cart_items` (`product_id`,`cart_id`,`quantity`);