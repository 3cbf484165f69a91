// The timeline benchmark's data on PostgreSQL, made by the server itself (INSERT … SELECT over
// generate_series: a million statuses in seconds, where a million round trips from here would take
// minutes). The same shape as timeline-data.ts builds on SQLite: `accounts` remote accounts on 100
// instances, `statuses` public statuses spread over a year in id (time) order, one local user following
// `following` of the accounts spread evenly through them, a hashtag on every 50th status and an AI image
// (by URL, with its prompt) on every 10th. Ids are made as db/ids.ts makes them (milliseconds shifted left 16 bits, plus a sequence), as 18-digit text.
import { sql } from "drizzle-orm";
import type { Database } from "../../src/db/client.ts";
import { rawRun } from "../../src/db/dialect.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { localUrls } from "../../src/domain/local-urls.ts";
import { BLURHASH, IMAGE_EVERY, provenanceOf, type TimelineData } from "./timeline-data.ts";

export async function buildTimelineDataPostgres(
  db: Database,
  origin: string,
  sizes: { accounts: number; statuses: number; following: number },
): Promise<TimelineData> {
  const { account: viewer } = await createLocalUser(db, localUrls(origin), {
    username: "reader",
    password: "benchmark password",
  });
  const tag = "aiart";
  const yearMs = 365 * 24 * 3600 * 1000;
  const start = Date.now() - yearMs;
  // Account i's id: a millisecond of its own before the first status, so no id is shared.
  const accountId = (i: SQLChunk) => sql`(((${start - 1_000_000}::bigint + ${i}) << 16))::text`;
  await db.transaction(async (tx) => {
    await rawRun(
      tx,
      sql`insert into accounts (id, username, domain, iri, url, inbox_url, shared_inbox_url, display_name)
        select ${accountId(sql`i`)}, 'u' || i, host, 'https://' || host || '/users/u' || i,
          'https://' || host || '/users/u' || i, 'https://' || host || '/users/u' || i || '/inbox',
          'https://' || host || '/inbox', 'User ' || i
        from generate_series(0, ${sizes.accounts - 1}::int) as i,
          lateral (select 'peer' || (i % 100) || '.example' as host) as h`,
    );
    await rawRun(tx, sql`insert into tags (name, display_name) values (${tag}, 'AIart')`);
    const stride = Math.max(1, Math.floor(sizes.accounts / sizes.following));
    await rawRun(
      tx,
      sql`insert into follows (id, account_id, target_account_id, state)
        select ((${Date.now()}::bigint << 16) + k)::text, ${viewer.id}, ${accountId(sql`(k * ${stride}) % ${sizes.accounts}`)}, 'accepted'
        from generate_series(0, ${sizes.following - 1}::int) as k`,
    );
  });
  // Statuses from a year ago to now; status i is by account (i × 7919) mod accounts, as on SQLite. Its
  // id's low 16 bits are i's, so ids made in one millisecond stay apart.
  const step = yearMs / sizes.statuses;
  await db.transaction(async (tx) => {
    await rawRun(
      tx,
      sql`insert into statuses (id, iri, url, account_id, visibility, content, created_at, local)
        select ((at << 16) | (i & 65535))::text, iri, iri, ${accountId(sql`((i::bigint * 7919) % ${sizes.accounts})`)},
          'public', '<p>Status ' || i || ' #AIart</p>', to_timestamp(at / 1000.0), false
        from generate_series(0, ${sizes.statuses - 1}::int) as i,
          lateral (select floor(${start}::float8 + i * ${step}::float8)::bigint as at,
            'https://peer' || (i % 100) || '.example/statuses/' || i as iri) as s`,
    );
    await rawRun(
      tx,
      sql`insert into status_tags (status_id, tag_name)
        select id, ${tag} from statuses where content like '<p>Status %' and
          (substring(iri from '/statuses/([0-9]+)$'))::int % 50 = 0`,
    );
    // Every IMAGE_EVERY-th status's AI image, with its prompt (the provenance's shape, numbered).
    const provenance = provenanceOf(0);
    await rawRun(
      tx,
      sql`insert into media_attachments (id, account_id, status_id, type, state, media_type, remote_url,
          width, height, description, blurhash, provenance)
        select s.id, s.account_id, s.id, 'image', 'ready', 'image/webp',
          'https://peer' || (n % 100) || '.example/media/' || n || '.webp', 1024, 1024, 'Image ' || n,
          ${BLURHASH}, jsonb_build_object('digitalSourceType', ${provenance.digitalSourceType}::text,
            'model', ${provenance.model}::text, 'prompt', 'A lighthouse at dusk, watercolor, study ' || n)
        from statuses s, lateral (select (substring(s.iri from '/statuses/([0-9]+)$'))::int as n) as k
        where s.content like '<p>Status %' and n % ${IMAGE_EVERY} = 0`,
    );
  });
  // What autovacuum would have done on a real instance after such growth: fresh statistics, and the
  // visibility map set (else an index-only scan reads every row's page as well).
  await rawRun(db, sql`vacuum (analyze)`);
  return { viewerId: viewer.id, viewerUsername: "reader", tag };
}

type SQLChunk = ReturnType<typeof sql>;
