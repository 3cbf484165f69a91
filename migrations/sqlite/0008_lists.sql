CREATE TABLE `list_accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`list_id` text NOT NULL,
	`account_id` text NOT NULL,
	`follow_id` text,
	FOREIGN KEY (`list_id`) REFERENCES `lists`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`follow_id`) REFERENCES `follows`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `list_accounts_pair_unique` ON `list_accounts` (`list_id`,`account_id`);--> statement-breakpoint
CREATE INDEX `list_accounts_account_idx` ON `list_accounts` (`account_id`);--> statement-breakpoint
CREATE INDEX `list_accounts_follow_idx` ON `list_accounts` (`follow_id`);--> statement-breakpoint
CREATE TABLE `lists` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`title` text NOT NULL,
	`replies_policy` text DEFAULT 'list' NOT NULL,
	`exclusive` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `lists_account_idx` ON `lists` (`account_id`,`id`);--> statement-breakpoint
CREATE INDEX `lists_exclusive_idx` ON `lists` (`account_id`,`id`) WHERE "lists"."exclusive" = 1;