CREATE TABLE `status_trends` (
	`status_id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`language` text,
	`score` real NOT NULL,
	`accounts` integer DEFAULT 0 NOT NULL,
	`refreshed_at` integer NOT NULL,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `status_trends_score_idx` ON `status_trends` (`score`);--> statement-breakpoint
CREATE TABLE `tag_trends` (
	`tag_name` text PRIMARY KEY NOT NULL,
	`score` real NOT NULL,
	`max_score` real NOT NULL,
	`max_score_at` integer NOT NULL,
	`accounts` integer DEFAULT 0 NOT NULL,
	`refreshed_at` integer NOT NULL,
	FOREIGN KEY (`tag_name`) REFERENCES `tags`(`name`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tag_trends_score_idx` ON `tag_trends` (`score`);--> statement-breakpoint
CREATE TABLE `trend_refreshes` (
	`kind` text PRIMARY KEY NOT NULL,
	`read_until` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `tags` ADD `trendable` integer;--> statement-breakpoint
ALTER TABLE `tags` ADD `reviewed_at` integer;