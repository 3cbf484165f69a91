CREATE TABLE `remote_media_downloads` (
	`status_id` text PRIMARY KEY NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`claimed_by` text,
	`claimed_until` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `domain_events` ADD `claimed_by` text;--> statement-breakpoint
ALTER TABLE `domain_events` ADD `claimed_until` integer;--> statement-breakpoint
ALTER TABLE `generation_jobs` ADD `claimed_by` text;--> statement-breakpoint
ALTER TABLE `generation_jobs` ADD `claimed_until` integer;