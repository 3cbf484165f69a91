-- Custom SQL migration file, put your code below! --
-- Hand-written: the full-text index of statuses (issue #19), which drizzle's schema cannot describe.
-- Each status other than a boost has a row of status_search_documents holding its words as a tsvector
-- of the 'simple' configuration (lower-cased words, no stemming and no stop words: any language is
-- searched alike), under a GIN index. The words are those the SQLite index takes (its migration says
-- which and how they are bounded); the content's HTML is made plain text by regular expressions here.
-- Triggers keep the rows in step, whichever code path writes statuses and media attachments.
CREATE TABLE "status_search_documents" (
  "status_id" text PRIMARY KEY NOT NULL REFERENCES "statuses"("id") ON DELETE CASCADE,
  "words" tsvector NOT NULL
);
--> statement-breakpoint
-- Tags dropped (a space where a block or a line ends, so words of two paragraphs stay apart), then
-- the entities Mastodon's HTML uses decoded, &amp; last.
CREATE FUNCTION atelier_html_text(html text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT replace(replace(replace(replace(replace(replace(
    regexp_replace(
      regexp_replace(html, '<(br|/p|/li|/h[1-6]|/blockquote|/pre|/div)\M[^>]*>', ' ', 'gi'),
      '<[^>]*>', '', 'g'),
    '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&nbsp;', ' '), '&amp;', '&')
$$;
--> statement-breakpoint
CREATE VIEW "status_search_sources" AS
SELECT s.id AS status_id,
  left(s.spoiler_text, 1000)
  || coalesce(' ' || left((SELECT string_agg(po.value ->> 'title', ' ')
       FROM jsonb_array_elements(s.poll -> 'options') po), 2000), '')
  || coalesce(' ' || left((SELECT string_agg(concat_ws(' ', m.description,
         m.provenance ->> 'prompt', m.provenance ->> 'revisedPrompt'), ' ')
       FROM media_attachments m WHERE m.status_id = s.id), 8000), '')
  || ' ' || left(atelier_html_text(s.content), 16000) AS body
FROM statuses s
WHERE s.reblog_of_id IS NULL;
--> statement-breakpoint
INSERT INTO "status_search_documents" ("status_id", "words")
SELECT status_id, to_tsvector('simple', body) FROM status_search_sources;
--> statement-breakpoint
CREATE INDEX "status_search_documents_words_idx" ON "status_search_documents" USING gin ("words");
--> statement-breakpoint
-- The status's row made again from what is stored now (none for a boost or a status gone).
CREATE FUNCTION atelier_index_status(id text) RETURNS void LANGUAGE sql AS $$
  INSERT INTO status_search_documents (status_id, words)
  SELECT status_id, to_tsvector('simple', body) FROM status_search_sources WHERE status_id = id
  ON CONFLICT (status_id) DO UPDATE SET words = excluded.words
$$;
--> statement-breakpoint
CREATE FUNCTION atelier_statuses_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM atelier_index_status(NEW.id);
  -- A vote rewrites the poll's counts, not its options: only a change of words re-indexes.
  ELSIF NEW.content IS DISTINCT FROM OLD.content
    OR NEW.spoiler_text IS DISTINCT FROM OLD.spoiler_text
    OR jsonb_path_query_array(NEW.poll, '$.options[*].title')
      IS DISTINCT FROM jsonb_path_query_array(OLD.poll, '$.options[*].title') THEN
    PERFORM atelier_index_status(NEW.id);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "statuses_search" AFTER INSERT OR UPDATE OF content, spoiler_text, poll ON "statuses"
FOR EACH ROW EXECUTE FUNCTION atelier_statuses_search();
--> statement-breakpoint
CREATE FUNCTION atelier_media_attachments_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.status_id IS NOT NULL THEN PERFORM atelier_index_status(NEW.status_id); END IF;
  ELSIF TG_OP = 'DELETE' THEN
    IF OLD.status_id IS NOT NULL THEN PERFORM atelier_index_status(OLD.status_id); END IF;
  ELSE
    IF OLD.status_id IS NOT NULL THEN PERFORM atelier_index_status(OLD.status_id); END IF;
    IF NEW.status_id IS DISTINCT FROM OLD.status_id AND NEW.status_id IS NOT NULL THEN
      PERFORM atelier_index_status(NEW.status_id);
    END IF;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "media_attachments_search"
AFTER INSERT OR DELETE OR UPDATE OF status_id, description, provenance ON "media_attachments"
FOR EACH ROW EXECUTE FUNCTION atelier_media_attachments_search();
