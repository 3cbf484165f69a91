CREATE TABLE `dataset_consent_events` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`change` text NOT NULL,
	`consent` integer DEFAULT false NOT NULL,
	`license` text NOT NULL,
	`attribution` text NOT NULL,
	`source` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `dataset_consent_events_account_idx` ON `dataset_consent_events` (`account_id`,`id`);--> statement-breakpoint
CREATE TABLE `dataset_exports` (
	`id` text PRIMARY KEY NOT NULL,
	`state` text DEFAULT 'queued' NOT NULL,
	`since` integer,
	`requested_by` text,
	`path` text,
	`total` integer DEFAULT 0 NOT NULL,
	`done` integer DEFAULT 0 NOT NULL,
	`users` integer DEFAULT 0 NOT NULL,
	`byte_size` integer,
	`error_message` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`claimed_by` text,
	`claimed_until` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`requested_by`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `dataset_exports_state_idx` ON `dataset_exports` (`state`,`id`);--> statement-breakpoint
ALTER TABLE `users` ADD `dataset_license` text DEFAULT 'cc-by' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `dataset_attribution` text DEFAULT 'anonymous' NOT NULL;--> statement-breakpoint
ALTER TABLE `statuses` ADD `dataset_opt_out` integer DEFAULT false NOT NULL;