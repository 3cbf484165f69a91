CREATE TABLE `account_warnings` (
	`id` text PRIMARY KEY NOT NULL,
	`target_account_id` text NOT NULL,
	`account_id` text,
	`action` text NOT NULL,
	`text` text DEFAULT '' NOT NULL,
	`report_id` text,
	`status_ids` text DEFAULT '[]' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`target_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `account_warnings_target_idx` ON `account_warnings` (`target_account_id`,`id`);--> statement-breakpoint
CREATE TABLE `moderation_logs` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text,
	`action` text NOT NULL,
	`target_type` text NOT NULL,
	`target_id` text NOT NULL,
	`target_label` text NOT NULL,
	`text` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
ALTER TABLE `accounts` ADD `limited_at` integer;--> statement-breakpoint
ALTER TABLE `accounts` ADD `sensitized_at` integer;--> statement-breakpoint
-- Hand-edited: drizzle-kit leaves out the ON DELETE of a column added with a reference.
ALTER TABLE `notifications` ADD `warning_id` text REFERENCES account_warnings(id) ON DELETE cascade;