ALTER TABLE `domain_events` ADD `claimed_by` text;--> statement-breakpoint
ALTER TABLE `domain_events` ADD `claimed_until` integer;--> statement-breakpoint
ALTER TABLE `generation_jobs` ADD `claimed_by` text;--> statement-breakpoint
ALTER TABLE `generation_jobs` ADD `claimed_until` integer;