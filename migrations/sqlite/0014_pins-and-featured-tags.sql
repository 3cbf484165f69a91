CREATE TABLE `featured_tags` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`tag_name` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_name`) REFERENCES `tags`(`name`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `featured_tags_pair_unique` ON `featured_tags` (`account_id`,`tag_name`);--> statement-breakpoint
CREATE INDEX `featured_tags_account_idx` ON `featured_tags` (`account_id`,`id`);--> statement-breakpoint
CREATE TABLE `status_pins` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`status_id` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `status_pins_pair_unique` ON `status_pins` (`account_id`,`status_id`);--> statement-breakpoint
CREATE INDEX `status_pins_account_idx` ON `status_pins` (`account_id`,`id`);--> statement-breakpoint
ALTER TABLE `accounts` ADD `featured_tags_url` text;--> statement-breakpoint
-- Hand-written: local accounts created before this migration get their featuredTags collection's URL,
-- which sits beside their featured collection (/users/:name/featured → /users/:name/featured_tags).
UPDATE `accounts` SET `featured_tags_url` = `featured_url` || '_tags'
  WHERE `domain` IS NULL AND `featured_url` LIKE '%/featured';
