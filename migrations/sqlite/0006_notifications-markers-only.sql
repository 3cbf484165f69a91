-- Hand-written data migration first (drizzle-kit wrote only the DROP): the notifications marker becomes the
-- one unread model, so what the web had marked read (read_at) moves into each account's marker (the
-- newest notification read there), unless an app has already saved a marker further on.
INSERT INTO `markers` (`account_id`, `timeline`, `last_read_id`, `version`, `updated_at`)
SELECT `account_id`, 'notifications', max(`id`), 0, cast(unixepoch('subsecond') * 1000 as integer)
FROM `notifications` WHERE `read_at` IS NOT NULL GROUP BY `account_id`
ON CONFLICT (`account_id`, `timeline`) DO UPDATE SET
  `last_read_id` = excluded.`last_read_id`,
  `version` = `markers`.`version` + 1,
  `updated_at` = excluded.`updated_at`
WHERE excluded.`last_read_id` > `markers`.`last_read_id`;--> statement-breakpoint
ALTER TABLE `notifications` DROP COLUMN `read_at`;
