CREATE TABLE `shipping_rates` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`countries` text NOT NULL,
	`prices` text NOT NULL,
	`free_over` text,
	`min_subtotal` text,
	`max_subtotal` text,
	`tax_category` text,
	`active` integer DEFAULT true NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
