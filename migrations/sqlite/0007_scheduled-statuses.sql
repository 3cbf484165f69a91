-- Hand-edited: drizzle-kit drops ON DELETE from ALTER TABLE ADD ... REFERENCES; cancelling a scheduled
-- status must free its images (set null), as the schema says.
CREATE TABLE `scheduled_statuses` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`scheduled_at` integer NOT NULL,
	`params` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `scheduled_statuses_due_idx` ON `scheduled_statuses` (`scheduled_at`);--> statement-breakpoint
CREATE INDEX `scheduled_statuses_account_idx` ON `scheduled_statuses` (`account_id`,`id`);--> statement-breakpoint
ALTER TABLE `media_attachments` ADD `scheduled_status_id` text REFERENCES scheduled_statuses(id) ON DELETE set null;--> statement-breakpoint
CREATE INDEX `media_attachments_scheduled_status_idx` ON `media_attachments` (`scheduled_status_id`);