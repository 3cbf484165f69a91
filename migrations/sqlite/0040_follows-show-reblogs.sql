-- Follows were made with show_reblogs false (the column's default) where Mastodon's follow defaults to
-- reblogs: true, and home timelines did not read it: every existing follow shows boosts again, as it
-- did, now that home honours the flag.
UPDATE `follows` SET `show_reblogs` = 1;
