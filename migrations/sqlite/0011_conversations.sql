CREATE TABLE `conversation_statuses` (
	`conversation_id` text NOT NULL,
	`status_id` text NOT NULL,
	PRIMARY KEY(`conversation_id`, `status_id`),
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `conversation_statuses_status_idx` ON `conversation_statuses` (`status_id`);--> statement-breakpoint
CREATE TABLE `conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`participant_key` text NOT NULL,
	`participant_ids` text NOT NULL,
	`unread` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conversations_participants_unique` ON `conversations` (`account_id`,`participant_key`);--> statement-breakpoint
CREATE INDEX `notifications_status_idx` ON `notifications` (`status_id`,`account_id`);