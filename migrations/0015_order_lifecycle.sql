ALTER TABLE `orders` ADD `status` text DEFAULT 'placed' NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `last_op` text;--> statement-breakpoint
UPDATE `orders` SET `body` = json_set(`body`, '$.version', 1, '$.status_history', json_array(json_object('status', 'placed', 'at', json_extract(`body`, '$.created_at'))), '$.payment_reference', NULL) WHERE json_type(`body`, '$.status_history') IS NULL;
