// The search benchmark's data on PostgreSQL, made by the server itself as timeline-data-postgres.ts
// makes the timelines' (INSERT … SELECT over generate_series): the shape search-data.ts builds on
// SQLite, its words drawn by the server's random() with the same law. The index's triggers are off
// during the load and the index is filled in one statement afterwards, as the migration's backfill
// fills it: a million trigger calls would take minutes, one INSERT … SELECT takes seconds.
import { sql } from "drizzle-orm";
import type { Database } from "../../src/db/client.ts";
import { rawRun } from "../../src/db/dialect.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { localUrls } from "../../src/domain/local-urls.ts";
import { IMAGE_EVERY, PROMPT_WORDS, type SearchData, VOCABULARY_SIZE } from "./search-data.ts";

export async function buildSearchDataPostgres(
  db: Database,
  origin: string,
  sizes: { accounts: number; statuses: number },
): Promise<SearchData> {
  const { account: viewer } = await createLocalUser(db, localUrls(origin), {
    username: "reader",
    password: "benchmark password",
  });
  const yearMs = 365 * 24 * 3600 * 1000;
  const start = Date.now() - yearMs;
  const accountId = (i: SQLChunk) => sql`(((${start - 1_000_000}::bigint + ${i}) << 16))::text`;
  const step = yearMs / sizes.statuses;
  // Word k with probability about 1 / ((k + 1) ln V), as zipfIndex draws it on SQLite.
  const zipf = sql`least(${VOCABULARY_SIZE - 1}, floor(exp(random() * ln(${VOCABULARY_SIZE + 1})))::int - 1)`;
  await db.transaction(async (tx) => {
    await rawRun(tx, sql`select setseed(0.19)`);
    await rawRun(
      tx,
      sql`insert into accounts (id, username, domain, iri, url, inbox_url, shared_inbox_url, display_name, indexable)
        select ${accountId(sql`i`)}, 'u' || i, host, 'https://' || host || '/users/u' || i,
          'https://' || host || '/users/u' || i, 'https://' || host || '/users/u' || i || '/inbox',
          'https://' || host || '/inbox', 'User ' || i, true
        from generate_series(0, ${sizes.accounts - 1}::int) as i,
          lateral (select 'peer' || (i % 100) || '.example' as host) as h`,
    );
    await rawRun(tx, sql`alter table statuses disable trigger statuses_search`);
    await rawRun(tx, sql`alter table media_attachments disable trigger media_attachments_search`);
    await rawRun(
      tx,
      sql`insert into statuses (id, iri, url, account_id, visibility, content, created_at, local)
        select ((at << 16) | (i & 65535))::text, iri, iri, ${accountId(sql`((i::bigint * 7919) % ${sizes.accounts})`)},
          'public', '<p>' || words || '</p>', to_timestamp(at / 1000.0), false
        from generate_series(0, ${sizes.statuses - 1}::int) as i,
          lateral (select floor(${start}::float8 + i * ${step}::float8)::bigint as at,
            'https://peer' || (i % 100) || '.example/statuses/' || i as iri) as s,
          lateral (select string_agg(${wordOf(sql`z.k`)}, ' ') as words
            from generate_series(1, 8) as w, lateral (select ${zipf} as k where w > 0 and i >= 0) as z) as t`,
    );
    await rawRun(
      tx,
      sql`insert into media_attachments (id, account_id, status_id, media_type, remote_url, provenance)
        select s.id, s.account_id, s.id, 'image/webp', s.iri || '/image.webp',
          jsonb_build_object(
            'digitalSourceType', 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia',
            'prompt', p.prompt)
        from statuses s,
          lateral (select string_agg((${sql.raw(`array[${PROMPT_WORDS.map((w) => `'${w}'`).join(", ")}]`)})[floor(random() * ${PROMPT_WORDS.length})::int + 1], ' ') as prompt
            from generate_series(1, 6) as w where s.id is not null) as p
        where s.iri like 'https://peer%' and
          (substring(s.iri from '/statuses/([0-9]+)$'))::int % ${IMAGE_EVERY} = 0`,
    );
    await rawRun(
      tx,
      sql`insert into status_search_documents (status_id, words)
        select status_id, to_tsvector('simple', body) from status_search_sources
        on conflict (status_id) do nothing`,
    );
    await rawRun(tx, sql`alter table statuses enable trigger statuses_search`);
    await rawRun(tx, sql`alter table media_attachments enable trigger media_attachments_search`);
  });
  await rawRun(db, sql`vacuum (analyze)`);
  return { viewerId: viewer.id };
}

type SQLChunk = ReturnType<typeof sql>;

/** vocabularyWord(k) in SQL (computed, not looked up: a 20,000-word array would be read whole each time). */
function wordOf(k: SQLChunk): SQLChunk {
  const syllable = (n: SQLChunk) =>
    sql`substr('bdfgklmnprstvz', (${n}) / 5 % 14 + 1, 1) || substr('aeiou', (${n}) % 5 + 1, 1)`;
  return sql`(${syllable(sql`${k} % 70`)} || ${syllable(sql`${k} / 70 % 70`)}
    || case when ${k} >= 4900 then ${syllable(sql`${k} / 4900`)} else '' end)`;
}
