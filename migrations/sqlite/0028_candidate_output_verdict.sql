ALTER TABLE `generation_candidates` ADD `flagged` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `generation_candidates` ADD `flagged_categories` text DEFAULT '[]' NOT NULL;