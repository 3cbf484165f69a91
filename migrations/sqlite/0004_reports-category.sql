ALTER TABLE `reports` ADD `category` text DEFAULT 'other' NOT NULL;--> statement-breakpoint
ALTER TABLE `reports` ADD `forwarded` integer DEFAULT false NOT NULL;