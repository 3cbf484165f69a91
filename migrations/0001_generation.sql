CREATE TABLE `blocked_terms` (
	`term` text PRIMARY KEY NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `generation_candidates` (
	`job_id` text NOT NULL,
	`media_id` text NOT NULL,
	`position` integer NOT NULL,
	`seed` integer,
	`revised_prompt` text,
	FOREIGN KEY (`job_id`) REFERENCES `generation_jobs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`media_id`) REFERENCES `media_attachments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `generation_candidates_media_unique` ON `generation_candidates` (`media_id`);--> statement-breakpoint
CREATE INDEX `generation_candidates_job_idx` ON `generation_candidates` (`job_id`,`position`);--> statement-breakpoint
CREATE TABLE `generation_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`state` text DEFAULT 'queued' NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`prompt` text NOT NULL,
	`negative_prompt` text,
	`size` text NOT NULL,
	`quality` text DEFAULT 'auto' NOT NULL,
	`background` text DEFAULT 'auto' NOT NULL,
	`n` integer DEFAULT 1 NOT NULL,
	`seed` integer,
	`source_media_id` text,
	`remix_of_status_id` text,
	`revised_prompt` text,
	`cost_micros` integer DEFAULT 0 NOT NULL,
	`error_code` text,
	`error_message` text,
	`retry_after_seconds` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`source_media_id`) REFERENCES `media_attachments`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`remix_of_status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `generation_jobs_account_idx` ON `generation_jobs` (`account_id`,`id`);--> statement-breakpoint
CREATE INDEX `generation_jobs_state_idx` ON `generation_jobs` (`state`,`id`);--> statement-breakpoint
CREATE TABLE `generation_spending` (
	`id` text PRIMARY KEY NOT NULL,
	`job_id` text,
	`account_id` text,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`size` text NOT NULL,
	`quality` text NOT NULL,
	`images` integer NOT NULL,
	`cost_micros` integer NOT NULL,
	`priced` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `generation_spending_created_idx` ON `generation_spending` (`created_at`);