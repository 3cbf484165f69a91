-- Hand-edited: drizzle-kit drops ON DELETE from ALTER TABLE ADD ... REFERENCES; deleting a remixed post
-- must leave its remixes standing (as the schema says: set null), not fail on the foreign key.
CREATE TABLE `album_items` (
	`id` text PRIMARY KEY NOT NULL,
	`album_id` text NOT NULL,
	`status_id` text NOT NULL,
	`position` integer NOT NULL,
	FOREIGN KEY (`album_id`) REFERENCES `albums`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `album_items_pair_unique` ON `album_items` (`album_id`,`status_id`);--> statement-breakpoint
CREATE INDEX `album_items_album_idx` ON `album_items` (`album_id`,`position`);--> statement-breakpoint
CREATE INDEX `album_items_status_idx` ON `album_items` (`status_id`);--> statement-breakpoint
CREATE TABLE `albums` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`title` text NOT NULL,
	`cover_status_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`cover_status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `albums_account_idx` ON `albums` (`account_id`,`id`);--> statement-breakpoint
ALTER TABLE `statuses` ADD `remix_of_id` text REFERENCES statuses(id) ON DELETE set null;--> statement-breakpoint
CREATE INDEX `statuses_remix_idx` ON `statuses` (`remix_of_id`,`id`);