ALTER TABLE `tags` ADD `trendable` integer;--> statement-breakpoint
ALTER TABLE `tags` ADD `reviewed_at` integer;