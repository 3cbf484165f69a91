CREATE TABLE `account_emojis` (
	`account_id` text NOT NULL,
	`emoji_id` text NOT NULL,
	PRIMARY KEY(`account_id`, `emoji_id`),
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`emoji_id`) REFERENCES `custom_emojis`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `account_emojis_emoji_idx` ON `account_emojis` (`emoji_id`);--> statement-breakpoint
CREATE TABLE `custom_emojis` (
	`id` text PRIMARY KEY NOT NULL,
	`shortcode` text NOT NULL,
	`domain` text,
	`iri` text,
	`remote_url` text,
	`image_key` text,
	`static_key` text,
	`category` text,
	`visible_in_picker` integer DEFAULT true NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`updated_at` integer,
	`copy_attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `custom_emojis_local_shortcode_unique` ON `custom_emojis` (`shortcode`) WHERE "custom_emojis"."domain" is null;--> statement-breakpoint
CREATE UNIQUE INDEX `custom_emojis_remote_shortcode_unique` ON `custom_emojis` (`shortcode`,`domain`) WHERE "custom_emojis"."domain" is not null;--> statement-breakpoint
CREATE TABLE `status_emojis` (
	`status_id` text NOT NULL,
	`emoji_id` text NOT NULL,
	PRIMARY KEY(`status_id`, `emoji_id`),
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`emoji_id`) REFERENCES `custom_emojis`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `status_emojis_emoji_idx` ON `status_emojis` (`emoji_id`);--> statement-breakpoint
ALTER TABLE `accounts` DROP COLUMN `emojis`;