CREATE TABLE `instance_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`text` text NOT NULL,
	`hint` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `instance_settings` (
	`name` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `invites` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`max_uses` integer,
	`uses` integer DEFAULT 0 NOT NULL,
	`expires_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invites_code_unique` ON `invites` (`code`);--> statement-breakpoint
ALTER TABLE `users` ADD `confirmed_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `confirmation_token_hash` text;--> statement-breakpoint
ALTER TABLE `users` ADD `confirmation_sent_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `approved_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `sign_up_reason` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `agreed_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `users_confirmation_token_unique` ON `users` (`confirmation_token_hash`);--> statement-breakpoint
-- Hand-written data migration: every user made before sign-up existed was made by an administrator,
-- so it counts as confirmed and approved (else its tokens would stop posting).
UPDATE `users` SET `confirmed_at` = `created_at`, `approved_at` = `created_at`;
