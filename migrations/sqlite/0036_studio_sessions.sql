ALTER TABLE `generation_jobs` ADD `kind` text DEFAULT 'generate' NOT NULL;--> statement-breakpoint
ALTER TABLE `generation_jobs` ADD `parent_id` text;--> statement-breakpoint
ALTER TABLE `generation_jobs` ADD `session_id` text;--> statement-breakpoint
ALTER TABLE `generation_jobs` ADD `depth` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `generation_jobs` ADD `mask_png` text;--> statement-breakpoint
CREATE INDEX `generation_jobs_session_idx` ON `generation_jobs` (`session_id`,`id`);