CREATE TABLE `bulk_import_rows` (
	`id` text PRIMARY KEY NOT NULL,
	`bulk_import_id` text NOT NULL,
	`line` integer NOT NULL,
	`data` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`error` text,
	FOREIGN KEY (`bulk_import_id`) REFERENCES `bulk_imports`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `bulk_import_rows_import_idx` ON `bulk_import_rows` (`bulk_import_id`,`state`,`line`);--> statement-breakpoint
CREATE TABLE `bulk_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`type` text NOT NULL,
	`overwrite` integer DEFAULT false NOT NULL,
	`original_filename` text,
	`state` text DEFAULT 'queued' NOT NULL,
	`total_items` integer DEFAULT 0 NOT NULL,
	`processed_items` integer DEFAULT 0 NOT NULL,
	`imported_items` integer DEFAULT 0 NOT NULL,
	`error_message` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`claimed_by` text,
	`claimed_until` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `bulk_imports_state_idx` ON `bulk_imports` (`state`,`id`);--> statement-breakpoint
CREATE INDEX `bulk_imports_account_idx` ON `bulk_imports` (`account_id`,`id`);