-- Hand-edited: SQLite adds a NOT NULL column only with a default, so each block_id column is added with
-- an empty one and every existing block is given a time-sortable id from its creation time (src/db/ids.ts's
-- form: milliseconds shifted 16 bits, the row's own number in the low bits so that two blocks of the same
-- millisecond differ). New rows get their id from the application.
CREATE TABLE `email_domain_block_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`domain` text NOT NULL,
	`address_hash` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`domain`) REFERENCES `email_domain_blocks`(`domain`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `email_domain_block_attempts_domain_idx` ON `email_domain_block_attempts` (`domain`,`created_at`);--> statement-breakpoint
ALTER TABLE `domain_blocks` ADD `block_id` text NOT NULL DEFAULT '';--> statement-breakpoint
UPDATE `domain_blocks` SET `block_id` = CAST((`created_at` << 16) + (`rowid` % 65536) AS TEXT);--> statement-breakpoint
ALTER TABLE `domain_blocks` ADD `private_comment` text;--> statement-breakpoint
ALTER TABLE `domain_blocks` ADD `obfuscate` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `domain_blocks_block_id_unique` ON `domain_blocks` (`block_id`);--> statement-breakpoint
ALTER TABLE `email_domain_blocks` ADD `block_id` text NOT NULL DEFAULT '';--> statement-breakpoint
UPDATE `email_domain_blocks` SET `block_id` = CAST((`created_at` << 16) + (`rowid` % 65536) AS TEXT);--> statement-breakpoint
CREATE UNIQUE INDEX `email_domain_blocks_block_id_unique` ON `email_domain_blocks` (`block_id`);