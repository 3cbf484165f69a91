ALTER TABLE `statuses` ADD `quote_state` text;--> statement-breakpoint
ALTER TABLE `statuses` ADD `quote_authorization_iri` text;--> statement-breakpoint
ALTER TABLE `statuses` ADD `quote_policy` text;--> statement-breakpoint
CREATE INDEX `statuses_quote_idx` ON `statuses` (`quote_of_id`,`id`);