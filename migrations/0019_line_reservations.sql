DROP INDEX `cart_items_product_idx`;--> statement-breakpoint
ALTER TABLE `cart_items` ADD `reserved_until` integer;--> statement-breakpoint
CREATE INDEX `cart_items_reserved_idx` ON `cart_items` (`product_id`,`reserved_until`,`quantity`,`cart_id`);--> statement-breakpoint
UPDATE `cart_items` SET `reserved_until` = (SELECT `reserved_until` FROM `carts` WHERE `carts`.`id` = `cart_items`.`cart_id` AND `carts`.`status` = 'open');--> statement-breakpoint
CREATE TRIGGER `cart_items_reserved_until` AFTER UPDATE OF `reserved_until` ON `carts`
WHEN OLD.`reserved_until` IS NOT NEW.`reserved_until`
BEGIN
  UPDATE `cart_items` SET `reserved_until` = NEW.`reserved_until` WHERE `cart_id` = NEW.`id`;
END;
