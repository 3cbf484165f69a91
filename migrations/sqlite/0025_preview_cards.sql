CREATE TABLE `link_trends` (
	`card_id` text PRIMARY KEY NOT NULL,
	`score` real NOT NULL,
	`max_score` real NOT NULL,
	`max_score_at` integer NOT NULL,
	`accounts` integer DEFAULT 0 NOT NULL,
	`refreshed_at` integer NOT NULL,
	FOREIGN KEY (`card_id`) REFERENCES `preview_cards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `link_trends_score_idx` ON `link_trends` (`score`);--> statement-breakpoint
CREATE TABLE `preview_card_fetches` (
	`status_id` text PRIMARY KEY NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`claimed_by` text,
	`claimed_until` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `preview_cards` (
	`id` text PRIMARY KEY NOT NULL,
	`url` text NOT NULL,
	`state` text DEFAULT 'ready' NOT NULL,
	`title` text DEFAULT '' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`type` text DEFAULT 'link' NOT NULL,
	`author_name` text DEFAULT '' NOT NULL,
	`author_url` text DEFAULT '' NOT NULL,
	`provider_name` text DEFAULT '' NOT NULL,
	`provider_url` text DEFAULT '' NOT NULL,
	`html` text DEFAULT '' NOT NULL,
	`width` integer DEFAULT 0 NOT NULL,
	`height` integer DEFAULT 0 NOT NULL,
	`image_key` text,
	`image_description` text DEFAULT '' NOT NULL,
	`blurhash` text,
	`embed_url` text DEFAULT '' NOT NULL,
	`language` text,
	`published_at` integer,
	`fetched_at` integer NOT NULL,
	`trendable` integer,
	`reviewed_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `preview_cards_url_unique` ON `preview_cards` (`url`);--> statement-breakpoint
CREATE TABLE `status_preview_cards` (
	`status_id` text PRIMARY KEY NOT NULL,
	`card_id` text NOT NULL,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`card_id`) REFERENCES `preview_cards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `status_preview_cards_card_idx` ON `status_preview_cards` (`card_id`,`status_id`);