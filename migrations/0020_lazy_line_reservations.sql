-- A line's reserved_until follows its cart's lazily (README, Stock): set where the cart's is unset, earlier
-- than the line's, or more than 30 s later; so an active cart rewrites its lines at most every 30 s, and
-- cart.reserved_until - 30000 <= line.reserved_until <= cart.reserved_until (both null, or neither).
DROP TRIGGER `cart_items_reserved_until`;--> statement-breakpoint
CREATE TRIGGER `cart_items_reserved_until` AFTER UPDATE OF `reserved_until` ON `carts`
WHEN OLD.`reserved_until` IS NOT NEW.`reserved_until`
BEGIN
  UPDATE `cart_items` SET `reserved_until` = NEW.`reserved_until`
  WHERE `cart_id` = NEW.`id` AND (NEW.`reserved_until` IS NULL OR `reserved_until` IS NULL
    OR `reserved_until` > NEW.`reserved_until` OR `reserved_until` < NEW.`reserved_until` - 30000);
END;
