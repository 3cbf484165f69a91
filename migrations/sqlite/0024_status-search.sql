-- Custom SQL migration file, put your code below! --
-- Hand-written: the full-text index of statuses (issue #19), which drizzle's schema cannot describe.
-- An FTS5 table holds only the index (contentless: the words live in statuses and media_attachments),
-- keyed by the status id read as an integer: ids are 18-digit decimals, so rowid order is id order (a
-- search walks its matches newest first and stops at a page) and no VACUUM can renumber them.
-- What is indexed, for each status other than a boost: its content warning, poll options, its images'
-- descriptions and the prompts they were made from, and its content as plain text (atelier_html_text,
-- registered on every connection by src/db/client.ts), each part bounded so that no remote document
-- makes one row huge. Triggers keep it in step, whichever code path writes the rows.
CREATE VIEW `status_search_sources` AS
SELECT s.id AS status_id,
  substr(s.spoiler_text, 1, 1000)
  || coalesce(' ' || substr((SELECT group_concat(json_extract(po.value, '$.title'), ' ')
       FROM json_each(s.poll, '$.options') po), 1, 2000), '')
  || coalesce(' ' || substr((SELECT group_concat(concat_ws(' ', m.description,
         json_extract(m.provenance, '$.prompt'), json_extract(m.provenance, '$.revisedPrompt')), ' ')
       FROM media_attachments m WHERE m.status_id = s.id), 1, 8000), '')
  || ' ' || substr(atelier_html_text(s.content), 1, 16000) AS body
FROM statuses s
WHERE s.reblog_of_id IS NULL;
--> statement-breakpoint
CREATE VIRTUAL TABLE `status_search` USING fts5(
  body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
INSERT INTO `status_search` (rowid, body)
SELECT cast(status_id AS integer), body FROM status_search_sources;
--> statement-breakpoint
CREATE TRIGGER `statuses_search_insert` AFTER INSERT ON `statuses`
WHEN new.reblog_of_id IS NULL BEGIN
  INSERT INTO status_search (rowid, body)
  SELECT cast(status_id AS integer), body FROM status_search_sources WHERE status_id = new.id;
END;
--> statement-breakpoint
-- A vote rewrites the poll's counts, not its options: only a change of words re-indexes.
CREATE TRIGGER `statuses_search_update` AFTER UPDATE OF content, spoiler_text, poll ON `statuses`
WHEN new.reblog_of_id IS NULL AND (old.content IS NOT new.content
  OR old.spoiler_text IS NOT new.spoiler_text
  OR (SELECT group_concat(json_extract(value, '$.title'), char(31)) FROM json_each(old.poll, '$.options'))
    IS NOT (SELECT group_concat(json_extract(value, '$.title'), char(31)) FROM json_each(new.poll, '$.options')))
BEGIN
  DELETE FROM status_search WHERE rowid = cast(new.id AS integer);
  INSERT INTO status_search (rowid, body)
  SELECT cast(status_id AS integer), body FROM status_search_sources WHERE status_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `statuses_search_delete` AFTER DELETE ON `statuses` BEGIN
  DELETE FROM status_search WHERE rowid = cast(old.id AS integer);
END;
--> statement-breakpoint
CREATE TRIGGER `media_attachments_search_insert` AFTER INSERT ON `media_attachments`
WHEN new.status_id IS NOT NULL BEGIN
  DELETE FROM status_search WHERE rowid = cast(new.status_id AS integer);
  INSERT INTO status_search (rowid, body)
  SELECT cast(status_id AS integer), body FROM status_search_sources WHERE status_id = new.status_id;
END;
--> statement-breakpoint
CREATE TRIGGER `media_attachments_search_update`
AFTER UPDATE OF status_id, description, provenance ON `media_attachments`
WHEN old.status_id IS NOT new.status_id OR old.description IS NOT new.description
  OR old.provenance IS NOT new.provenance BEGIN
  DELETE FROM status_search WHERE rowid = cast(old.status_id AS integer);
  INSERT INTO status_search (rowid, body)
  SELECT cast(status_id AS integer), body FROM status_search_sources WHERE status_id = old.status_id;
  DELETE FROM status_search
  WHERE rowid = cast(new.status_id AS integer) AND new.status_id IS NOT old.status_id;
  INSERT INTO status_search (rowid, body)
  SELECT cast(status_id AS integer), body FROM status_search_sources
  WHERE status_id = new.status_id AND new.status_id IS NOT old.status_id;
END;
--> statement-breakpoint
CREATE TRIGGER `media_attachments_search_delete` AFTER DELETE ON `media_attachments`
WHEN old.status_id IS NOT NULL BEGIN
  DELETE FROM status_search WHERE rowid = cast(old.status_id AS integer);
  INSERT INTO status_search (rowid, body)
  SELECT cast(status_id AS integer), body FROM status_search_sources WHERE status_id = old.status_id;
END;
