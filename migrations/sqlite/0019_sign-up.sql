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
