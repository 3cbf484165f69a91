ALTER TABLE `media_attachments` ADD `has_focus` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `statuses` ADD `poll` text;--> statement-breakpoint
-- Data: before has_focus, "no focal point" was stored as the centre (0, 0). Any other point was chosen or
-- sent, so it keeps showing; a centre cannot be told apart from none and becomes none (Mastodon's default).
UPDATE `media_attachments` SET `has_focus` = true WHERE `focus_x` <> 0 OR `focus_y` <> 0;
