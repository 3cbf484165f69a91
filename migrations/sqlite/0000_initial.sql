CREATE TABLE `accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`domain` text,
	`iri` text NOT NULL,
	`url` text,
	`type` text DEFAULT 'Person' NOT NULL,
	`display_name` text DEFAULT '' NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`avatar_url` text,
	`header_url` text,
	`avatar_media_id` text,
	`header_media_id` text,
	`inbox_url` text,
	`shared_inbox_url` text,
	`outbox_url` text,
	`followers_url` text,
	`following_url` text,
	`featured_url` text,
	`locked` integer DEFAULT false NOT NULL,
	`bot` integer DEFAULT false NOT NULL,
	`discoverable` integer DEFAULT false NOT NULL,
	`indexable` integer DEFAULT false NOT NULL,
	`fields` text DEFAULT '[]' NOT NULL,
	`emojis` text DEFAULT '[]' NOT NULL,
	`also_known_as` text DEFAULT '[]' NOT NULL,
	`moved_to_account_id` text,
	`followers_count` integer DEFAULT 0 NOT NULL,
	`following_count` integer DEFAULT 0 NOT NULL,
	`statuses_count` integer DEFAULT 0 NOT NULL,
	`last_status_at` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`updated_at` integer,
	`fetched_at` integer,
	`suspended_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_iri_unique` ON `accounts` (`iri`);--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_local_username_unique` ON `accounts` (lower("username")) WHERE "accounts"."domain" is null;--> statement-breakpoint
CREATE UNIQUE INDEX `accounts_remote_handle_unique` ON `accounts` (lower("username"),`domain`) WHERE "accounts"."domain" is not null;--> statement-breakpoint
CREATE INDEX `accounts_domain_idx` ON `accounts` (`domain`);--> statement-breakpoint
CREATE TABLE `actor_keys` (
	`account_id` text NOT NULL,
	`algorithm` text NOT NULL,
	`public_key_jwk` text NOT NULL,
	`private_key_jwk` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`account_id`, `algorithm`),
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `users` (
	`account_id` text PRIMARY KEY NOT NULL,
	`email` text,
	`password_hash` text NOT NULL,
	`admin` integer DEFAULT false NOT NULL,
	`ai_data_consent` integer DEFAULT false NOT NULL,
	`locale` text DEFAULT 'en' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`last_sign_in_at` integer,
	`disabled_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (lower("email"));--> statement-breakpoint
CREATE TABLE `domain_events` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`retry_at` integer,
	`last_error` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `blocked_terms` (
	`term` text PRIMARY KEY NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `generation_candidates` (
	`job_id` text NOT NULL,
	`media_id` text NOT NULL,
	`position` integer NOT NULL,
	`seed` integer,
	`revised_prompt` text,
	FOREIGN KEY (`job_id`) REFERENCES `generation_jobs`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`media_id`) REFERENCES `media_attachments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `generation_candidates_media_unique` ON `generation_candidates` (`media_id`);--> statement-breakpoint
CREATE INDEX `generation_candidates_job_idx` ON `generation_candidates` (`job_id`,`position`);--> statement-breakpoint
CREATE TABLE `generation_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`state` text DEFAULT 'queued' NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`prompt` text NOT NULL,
	`negative_prompt` text,
	`size` text NOT NULL,
	`quality` text DEFAULT 'auto' NOT NULL,
	`background` text DEFAULT 'auto' NOT NULL,
	`n` integer DEFAULT 1 NOT NULL,
	`seed` integer,
	`source_media_id` text,
	`remix_of_status_id` text,
	`revised_prompt` text,
	`cost_micros` integer DEFAULT 0 NOT NULL,
	`error_code` text,
	`error_message` text,
	`retry_after_seconds` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`source_media_id`) REFERENCES `media_attachments`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`remix_of_status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `generation_jobs_account_idx` ON `generation_jobs` (`account_id`,`id`);--> statement-breakpoint
CREATE INDEX `generation_jobs_state_idx` ON `generation_jobs` (`state`,`id`);--> statement-breakpoint
CREATE TABLE `generation_spending` (
	`id` text PRIMARY KEY NOT NULL,
	`job_id` text,
	`account_id` text,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`size` text NOT NULL,
	`quality` text NOT NULL,
	`images` integer NOT NULL,
	`cost_micros` integer NOT NULL,
	`priced` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `generation_spending_created_idx` ON `generation_spending` (`created_at`);--> statement-breakpoint
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
CREATE INDEX `fedify_queue_ready_idx` ON `fedify_queue` (`ready_at`,`id`);--> statement-breakpoint
CREATE TABLE `blocks` (
	`id` text PRIMARY KEY NOT NULL,
	`iri` text,
	`account_id` text NOT NULL,
	`target_account_id` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`target_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `blocks_pair_unique` ON `blocks` (`account_id`,`target_account_id`);--> statement-breakpoint
CREATE INDEX `blocks_target_idx` ON `blocks` (`target_account_id`);--> statement-breakpoint
CREATE TABLE `bookmarks` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`status_id` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bookmarks_pair_unique` ON `bookmarks` (`account_id`,`status_id`);--> statement-breakpoint
CREATE TABLE `emoji_reactions` (
	`id` text PRIMARY KEY NOT NULL,
	`iri` text,
	`account_id` text NOT NULL,
	`status_id` text NOT NULL,
	`name` text NOT NULL,
	`emoji_url` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `emoji_reactions_unique` ON `emoji_reactions` (`account_id`,`status_id`,`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `emoji_reactions_iri_unique` ON `emoji_reactions` (`iri`);--> statement-breakpoint
CREATE TABLE `favourites` (
	`id` text PRIMARY KEY NOT NULL,
	`iri` text,
	`account_id` text NOT NULL,
	`status_id` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `favourites_pair_unique` ON `favourites` (`account_id`,`status_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `favourites_iri_unique` ON `favourites` (`iri`);--> statement-breakpoint
CREATE INDEX `favourites_status_idx` ON `favourites` (`status_id`,`id`);--> statement-breakpoint
CREATE TABLE `follows` (
	`id` text PRIMARY KEY NOT NULL,
	`iri` text,
	`account_id` text NOT NULL,
	`target_account_id` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`show_reblogs` integer DEFAULT false NOT NULL,
	`notify` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`target_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `follows_pair_unique` ON `follows` (`account_id`,`target_account_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `follows_iri_unique` ON `follows` (`iri`);--> statement-breakpoint
CREATE INDEX `follows_target_idx` ON `follows` (`target_account_id`,`state`,`id`);--> statement-breakpoint
CREATE TABLE `mutes` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`target_account_id` text NOT NULL,
	`hide_notifications` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`target_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mutes_pair_unique` ON `mutes` (`account_id`,`target_account_id`);--> statement-breakpoint
CREATE TABLE `markers` (
	`account_id` text NOT NULL,
	`timeline` text NOT NULL,
	`last_read_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `timeline`),
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `media_attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`status_id` text,
	`position` integer DEFAULT 0 NOT NULL,
	`type` text DEFAULT 'image' NOT NULL,
	`state` text DEFAULT 'ready' NOT NULL,
	`media_type` text,
	`remote_url` text,
	`original_key` text,
	`display_key` text,
	`thumbnail_key` text,
	`width` integer,
	`height` integer,
	`thumbnail_width` integer,
	`thumbnail_height` integer,
	`byte_size` integer,
	`description` text,
	`blurhash` text,
	`focus_x` real DEFAULT 0 NOT NULL,
	`focus_y` real DEFAULT 0 NOT NULL,
	`provenance` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `media_attachments_status_idx` ON `media_attachments` (`status_id`,`position`);--> statement-breakpoint
CREATE INDEX `media_attachments_account_idx` ON `media_attachments` (`account_id`,`id`);--> statement-breakpoint
CREATE TABLE `domain_blocks` (
	`domain` text PRIMARY KEY NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `reports` (
	`id` text PRIMARY KEY NOT NULL,
	`iri` text,
	`account_id` text NOT NULL,
	`target_account_id` text NOT NULL,
	`status_ids` text DEFAULT '[]' NOT NULL,
	`comment` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`resolved_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`target_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reports_iri_unique` ON `reports` (`iri`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`type` text NOT NULL,
	`from_account_id` text NOT NULL,
	`status_id` text,
	`report_id` text,
	`emoji` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`read_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`from_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`report_id`) REFERENCES `reports`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `notifications_account_idx` ON `notifications` (`account_id`,`id`);--> statement-breakpoint
CREATE TABLE `oauth_access_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`refresh_token_hash` text,
	`application_id` text,
	`account_id` text,
	`scopes` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`application_id`) REFERENCES `oauth_applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `oauth_access_tokens_token_unique` ON `oauth_access_tokens` (`token_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `oauth_access_tokens_refresh_unique` ON `oauth_access_tokens` (`refresh_token_hash`);--> statement-breakpoint
CREATE INDEX `oauth_access_tokens_account_idx` ON `oauth_access_tokens` (`account_id`);--> statement-breakpoint
CREATE TABLE `oauth_applications` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`website` text,
	`redirect_uris` text NOT NULL,
	`scopes` text NOT NULL,
	`client_id` text NOT NULL,
	`client_secret_hash` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `oauth_applications_client_id_unique` ON `oauth_applications` (`client_id`);--> statement-breakpoint
CREATE TABLE `oauth_authorization_codes` (
	`code_hash` text PRIMARY KEY NOT NULL,
	`application_id` text NOT NULL,
	`account_id` text NOT NULL,
	`redirect_uri` text NOT NULL,
	`scopes` text NOT NULL,
	`code_challenge` text,
	`expires_at` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `oauth_applications`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `oauth_authorization_codes_expiry_idx` ON `oauth_authorization_codes` (`expires_at`);--> statement-breakpoint
CREATE TABLE `status_edits` (
	`id` text PRIMARY KEY NOT NULL,
	`status_id` text NOT NULL,
	`content` text NOT NULL,
	`spoiler_text` text DEFAULT '' NOT NULL,
	`sensitive` integer DEFAULT false NOT NULL,
	`media` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `status_edits_status_idx` ON `status_edits` (`status_id`,`id`);--> statement-breakpoint
CREATE TABLE `status_mentions` (
	`status_id` text NOT NULL,
	`account_id` text NOT NULL,
	PRIMARY KEY(`status_id`, `account_id`),
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `status_mentions_account_idx` ON `status_mentions` (`account_id`,`status_id`);--> statement-breakpoint
CREATE TABLE `status_tags` (
	`status_id` text NOT NULL,
	`tag_name` text NOT NULL,
	PRIMARY KEY(`status_id`, `tag_name`),
	FOREIGN KEY (`status_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_name`) REFERENCES `tags`(`name`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `status_tags_tag_idx` ON `status_tags` (`tag_name`,`status_id`);--> statement-breakpoint
CREATE TABLE `statuses` (
	`id` text PRIMARY KEY NOT NULL,
	`iri` text NOT NULL,
	`url` text,
	`account_id` text NOT NULL,
	`local` integer DEFAULT false NOT NULL,
	`object_type` text DEFAULT 'Note' NOT NULL,
	`in_reply_to_id` text,
	`in_reply_to_iri` text,
	`in_reply_to_account_id` text,
	`reblog_of_id` text,
	`quote_of_id` text,
	`quote_of_iri` text,
	`visibility` text DEFAULT 'public' NOT NULL,
	`content` text DEFAULT '' NOT NULL,
	`source` text,
	`spoiler_text` text DEFAULT '' NOT NULL,
	`sensitive` integer DEFAULT false NOT NULL,
	`language` text,
	`replies_count` integer DEFAULT 0 NOT NULL,
	`reblogs_count` integer DEFAULT 0 NOT NULL,
	`favourites_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`edited_at` integer,
	`fetched_at` integer,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`in_reply_to_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`in_reply_to_account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`reblog_of_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`quote_of_id`) REFERENCES `statuses`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `statuses_iri_unique` ON `statuses` (`iri`);--> statement-breakpoint
CREATE INDEX `statuses_account_idx` ON `statuses` (`account_id`,`id`);--> statement-breakpoint
CREATE INDEX `statuses_visibility_idx` ON `statuses` (`visibility`,`id`);--> statement-breakpoint
CREATE INDEX `statuses_local_idx` ON `statuses` (`local`,`id`);--> statement-breakpoint
CREATE INDEX `statuses_reply_idx` ON `statuses` (`in_reply_to_id`);--> statement-breakpoint
CREATE INDEX `statuses_reblog_idx` ON `statuses` (`reblog_of_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `statuses_reblog_unique` ON `statuses` (`account_id`,`reblog_of_id`);--> statement-breakpoint
CREATE TABLE `tags` (
	`name` text PRIMARY KEY NOT NULL,
	`display_name` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `web_sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`csrf_token` text NOT NULL,
	`user_agent` text DEFAULT '' NOT NULL,
	`ip` text DEFAULT '' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`last_seen_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `web_sessions_account_idx` ON `web_sessions` (`account_id`);