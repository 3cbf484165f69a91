ALTER TABLE `users` ADD `otp_secret` text;--> statement-breakpoint
ALTER TABLE `users` ADD `otp_pending_secret` text;--> statement-breakpoint
ALTER TABLE `users` ADD `otp_enabled_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `otp_last_step` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `otp_recovery_codes` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `reset_password_token_hash` text;--> statement-breakpoint
ALTER TABLE `users` ADD `reset_password_sent_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `unconfirmed_email` text;--> statement-breakpoint
ALTER TABLE `users` ADD `email_change_token_hash` text;--> statement-breakpoint
ALTER TABLE `users` ADD `email_change_sent_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `users_reset_password_token_unique` ON `users` (`reset_password_token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_change_token_unique` ON `users` (`email_change_token_hash`);