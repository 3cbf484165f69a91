// Builds the timeline benchmark's database straight through SQL (the fastest way to get a million rows):
// `accounts` remote accounts on 100 instances, `statuses` public statuses spread over them in time order,
// one local user following `following` of them, and a hashtag on every 50th status and an AI image
// (by URL, with its prompt) on every 10th.

import type { Database } from "../../src/db/client.ts";
import { newId } from "../../src/db/ids.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { localUrls } from "../../src/domain/local-urls.ts";

export interface TimelineData {
  viewerId: string;
  viewerUsername: string;
  tag: string;
}

/** Every tenth status carries an AI image (remote, by URL), for the explore pages' grids. */
export const IMAGE_EVERY = 10;
export const BLURHASH = "LEHV6nWB2yk8pyo0adR*.7kCMdnj";

/** An image's provenance as a remote Atelier would send it: AI-made, with its prompt. */
export function provenanceOf(i: number) {
  return {
    digitalSourceType: "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
    model: "gpt-image-1",
    prompt: `A lighthouse at dusk, watercolor, study ${i}`,
  };
}

export async function buildTimelineData(
  db: Database,
  origin: string,
  sizes: { accounts: number; statuses: number; following: number },
): Promise<TimelineData> {
  const { account: viewer } = await createLocalUser(db, localUrls(origin), {
    username: "reader",
    password: "benchmark password",
  });
  const sqlite = db.$client;
  const insertAccount = sqlite.prepare(
    `insert into accounts (id, username, domain, iri, url, inbox_url, shared_inbox_url, display_name)
     values (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertStatus = sqlite.prepare(
    `insert into statuses (id, iri, url, account_id, visibility, content, created_at, local)
     values (?, ?, ?, ?, 'public', ?, ?, 0)`,
  );
  const insertTag = sqlite.prepare("insert into status_tags (status_id, tag_name) values (?, ?)");
  const insertImage = sqlite.prepare(
    `insert into media_attachments (id, account_id, status_id, type, state, media_type, remote_url,
       width, height, description, blurhash, provenance)
     values (?, ?, ?, 'image', 'ready', 'image/webp', ?, 1024, 1024, ?, ?, ?)`,
  );
  const insertFollow = sqlite.prepare(
    "insert into follows (id, account_id, target_account_id, state) values (?, ?, ?, 'accepted')",
  );
  const tag = "aiart";
  const accountIds: string[] = [];
  sqlite.transaction(() => {
    for (let i = 0; i < sizes.accounts; i++) {
      const host = `peer${i % 100}.example`;
      const id = newId();
      accountIds.push(id);
      const iri = `https://${host}/users/u${i}`;
      insertAccount.run(
        id,
        `u${i}`,
        host,
        iri,
        iri,
        `${iri}/inbox`,
        `https://${host}/inbox`,
        `User ${i}`,
      );
    }
    sqlite.prepare("insert into tags (name, display_name) values (?, ?)").run(tag, "AIart");
    for (let i = 0; i < sizes.following; i++) {
      // Every tenth account, so followed statuses are spread evenly through time.
      insertFollow.run(newId(), viewer.id, accountIds[(i * 10) % accountIds.length]);
    }
  })();
  // Statuses from a year ago to now, in id (time) order. A bulk load, done the way bulk loads are fast:
  // no journal (a failed build is thrown away), a large page cache, and the statuses' indexes dropped
  // and rebuilt afterwards (sorting once beats a million random B-tree inserts into each). The indexes
  // are re-created from the very SQL the migrations stored, so the schema ends up as migrated. The image
  // attachments keep theirs: each insert's search trigger reads the status's images by status_id.
  const indexes = sqlite
    .prepare<[], { name: string; sql: string }>(
      `select name, sql from sqlite_master
       where type = 'index' and tbl_name in ('statuses', 'status_tags') and sql is not null`,
    )
    .all();
  sqlite.pragma("journal_mode = OFF");
  sqlite.pragma("cache_size = -262144");
  for (const index of indexes) sqlite.exec(`drop index "${index.name}"`);
  const start = Date.now() - 365 * 24 * 3600 * 1000;
  const step = (365 * 24 * 3600 * 1000) / sizes.statuses;
  sqlite.transaction(() => {
    for (let i = 0; i < sizes.statuses; i++) {
      const at = Math.floor(start + i * step);
      const id = newId(at);
      const accountId = accountIds[(i * 7919) % accountIds.length]!;
      const iri = `https://peer${i % 100}.example/statuses/${i}`;
      insertStatus.run(id, iri, iri, accountId, `<p>Status ${i} #AIart</p>`, at);
      if (i % 50 === 0) insertTag.run(id, tag);
      if (i % IMAGE_EVERY === 0) {
        insertImage.run(
          id,
          accountId,
          id,
          `https://peer${i % 100}.example/media/${i}.webp`,
          `Image ${i}`,
          BLURHASH,
          JSON.stringify(provenanceOf(i)),
        );
      }
    }
  })();
  for (const index of indexes) sqlite.exec(index.sql);
  sqlite.pragma("cache_size = -2000");
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("analysis_limit = 1000");
  sqlite.exec("analyze");
  return { viewerId: viewer.id, viewerUsername: "reader", tag };
}
