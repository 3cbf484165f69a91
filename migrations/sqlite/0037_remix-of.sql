-- Hand-edited: drizzle-kit drops ON DELETE from ALTER TABLE ADD ... REFERENCES; deleting a remixed post
-- must leave its remixes standing (as the schema says: set null), not fail on the foreign key.
ALTER TABLE `statuses` ADD `remix_of_id` text REFERENCES statuses(id) ON DELETE set null;--> statement-breakpoint
CREATE INDEX `statuses_remix_idx` ON `statuses` (`remix_of_id`,`id`);
