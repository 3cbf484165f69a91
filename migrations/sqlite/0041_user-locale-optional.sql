-- drizzle-kit quotes the expression index users_email_unique as a column name when it rebuilds the table
-- (`lower("email")`, a column that does not exist); it is written here as 0000_initial.sql wrote it.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_users` (
	`account_id` text PRIMARY KEY NOT NULL,
	`email` text,
	`password_hash` text NOT NULL,
	`admin` integer DEFAULT false NOT NULL,
	`ai_data_consent` integer DEFAULT false NOT NULL,
	`dataset_license` text DEFAULT 'cc-by' NOT NULL,
	`dataset_attribution` text DEFAULT 'anonymous' NOT NULL,
	`locale` text,
	`default_visibility` text DEFAULT 'public' NOT NULL,
	`default_sensitive` integer DEFAULT false NOT NULL,
	`default_language` text,
	`expand_media` text DEFAULT 'default' NOT NULL,
	`expand_spoilers` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`last_sign_in_at` integer,
	`disabled_at` integer,
	`confirmed_at` integer,
	`confirmation_token_hash` text,
	`confirmation_sent_at` integer,
	`approved_at` integer,
	`sign_up_reason` text DEFAULT '' NOT NULL,
	`agreed_at` integer,
	`otp_secret` text,
	`otp_pending_secret` text,
	`otp_enabled_at` integer,
	`otp_last_step` integer,
	`otp_recovery_codes` text DEFAULT '' NOT NULL,
	`reset_password_token_hash` text,
	`reset_password_sent_at` integer,
	`unconfirmed_email` text,
	`email_change_token_hash` text,
	`email_change_sent_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_users`("account_id", "email", "password_hash", "admin", "ai_data_consent", "dataset_license", "dataset_attribution", "locale", "default_visibility", "default_sensitive", "default_language", "expand_media", "expand_spoilers", "created_at", "last_sign_in_at", "disabled_at", "confirmed_at", "confirmation_token_hash", "confirmation_sent_at", "approved_at", "sign_up_reason", "agreed_at", "otp_secret", "otp_pending_secret", "otp_enabled_at", "otp_last_step", "otp_recovery_codes", "reset_password_token_hash", "reset_password_sent_at", "unconfirmed_email", "email_change_token_hash", "email_change_sent_at") SELECT "account_id", "email", "password_hash", "admin", "ai_data_consent", "dataset_license", "dataset_attribution", "locale", "default_visibility", "default_sensitive", "default_language", "expand_media", "expand_spoilers", "created_at", "last_sign_in_at", "disabled_at", "confirmed_at", "confirmation_token_hash", "confirmation_sent_at", "approved_at", "sign_up_reason", "agreed_at", "otp_secret", "otp_pending_secret", "otp_enabled_at", "otp_last_step", "otp_recovery_codes", "reset_password_token_hash", "reset_password_sent_at", "unconfirmed_email", "email_change_token_hash", "email_change_sent_at" FROM `users`;--> statement-breakpoint
DROP TABLE `users`;--> statement-breakpoint
ALTER TABLE `__new_users` RENAME TO `users`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX `users_confirmation_token_unique` ON `users` (`confirmation_token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_reset_password_token_unique` ON `users` (`reset_password_token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_change_token_unique` ON `users` (`email_change_token_hash`);