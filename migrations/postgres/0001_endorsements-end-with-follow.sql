-- Hand-written (drizzle-kit generate --custom): the hand-written SQL of migrations/sqlite, for PostgreSQL.
--
-- An endorsement lasts only as long as the follow it needs (Mastodon removes it on unfollow). Every way a
-- follow ends (unfollow, block, domain block, Reject, account deletion) deletes the follows row, so the
-- rule is kept here once rather than in each of them: sqlite/0016_social.sql's trigger, which SQLite
-- runs for each row as this one does.
--
-- The other hand-written statements there need nothing here: 0002 (has_focus from a focal point stored
-- as the centre), 0006 (read_at into the notifications marker) and 0014 (featured_tags_url of existing
-- local accounts) fill in rows made before their migration, and a PostgreSQL database starts with today's
-- schema (rows copied into it come from a SQLite database already through them); 0007's ON DELETE SET NULL, which drizzle-kit dropped for SQLite, is in 0000_initial.
CREATE FUNCTION "endorsements_end_with_follow"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM "endorsements"
		WHERE "account_id" = OLD."account_id" AND "target_account_id" = OLD."target_account_id";
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "endorsements_end_with_follow" AFTER DELETE ON "follows"
	FOR EACH ROW EXECUTE FUNCTION "endorsements_end_with_follow"();
