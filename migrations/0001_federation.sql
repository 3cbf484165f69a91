CREATE TABLE `fedify_kv` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`expires_at` integer
);
--> statement-breakpoint
CREATE INDEX `fedify_kv_expires_idx` ON `fedify_kv` (`expires_at`);--> statement-breakpoint
CREATE TABLE `fedify_queue` (
	`id` text PRIMARY KEY NOT NULL,
	`message` text NOT NULL,
	`ordering_key` text,
	`ready_at` integer NOT NULL,
	`locked_until` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `fedify_queue_ready_idx` ON `fedify_queue` (`ready_at`,`id`);