// Builds the search benchmark's database straight through SQL, as timeline-data.ts does for timelines:
// `accounts` indexable remote accounts on 100 instances, `statuses` public statuses spread over a year in
// time order, each of eight words drawn from a vocabulary where word k is about 1/k as frequent as the
// first (word 0 is in ~45% of statuses, word 10,000 in ~80), and on every 20th status an image whose
// prompt holds six words of a prompt vocabulary. The full-text index is filled by the migration's
// triggers as the rows go in: the same path a running instance takes.
import type { Database } from "../../src/db/client.ts";
import { newId } from "../../src/db/ids.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { localUrls } from "../../src/domain/local-urls.ts";

export const VOCABULARY_SIZE = 20_000;
const WORDS_PER_STATUS = 8;
export const PROMPT_WORDS = [
  "heron",
  "lighthouse",
  "watercolour",
  "fog",
  "neon",
  "portrait",
  "forest",
  "castle",
  "robot",
  "sunset",
  "ocean",
  "dragon",
  "city",
  "garden",
  "mountain",
  "cat",
];
export const IMAGE_EVERY = 20;

const CONSONANTS = "bdfgklmnprstvz";
const VOWELS = "aeiou";
const syllable = (n: number) => CONSONANTS[Math.floor(n / 5) % 14]! + VOWELS[n % 5]!;

/** Word k of the vocabulary: two or three syllables, all distinct ("baba", "deba", …). */
export function vocabularyWord(k: number): string {
  const third = Math.floor(k / 4900);
  return syllable(k % 70) + syllable(Math.floor(k / 70) % 70) + (third > 0 ? syllable(third) : "");
}

/** Deterministic 32-bit generator (mulberry32), so every build holds the same text. */
function generator(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An index into the vocabulary, log-uniform: P(k) ≈ 1 / ((k + 1) · ln V). */
export function zipfIndex(u: number): number {
  return Math.min(VOCABULARY_SIZE - 1, Math.floor(Math.exp(u * Math.log(VOCABULARY_SIZE + 1))) - 1);
}

export interface SearchData {
  viewerId: string;
}

export async function buildSearchData(
  db: Database,
  origin: string,
  sizes: { accounts: number; statuses: number },
): Promise<SearchData> {
  const { account: viewer } = await createLocalUser(db, localUrls(origin), {
    username: "reader",
    password: "benchmark password",
  });
  const sqlite = db.$client;
  const insertAccount = sqlite.prepare(
    `insert into accounts (id, username, domain, iri, url, inbox_url, shared_inbox_url, display_name, indexable)
     values (?, ?, ?, ?, ?, ?, ?, ?, 1)`,
  );
  const insertStatus = sqlite.prepare(
    `insert into statuses (id, iri, url, account_id, visibility, content, created_at, local)
     values (?, ?, ?, ?, 'public', ?, ?, 0)`,
  );
  const insertMedia = sqlite.prepare(
    `insert into media_attachments (id, account_id, status_id, media_type, remote_url, provenance)
     values (?, ?, ?, 'image/webp', ?, ?)`,
  );
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
  })();
  // A bulk load as timeline-data.ts does it: no journal, a large cache, the statuses' and media's
  // B-tree indexes dropped and rebuilt from the SQL the migrations stored. The full-text index is kept
  // (its triggers fill it row by row, in rowid order, which is its cheap order).
  const indexes = sqlite
    .prepare<[], { name: string; sql: string }>(
      `select name, sql from sqlite_master
       where type = 'index' and tbl_name = 'statuses' and sql is not null`,
    )
    .all();
  sqlite.pragma("journal_mode = OFF");
  sqlite.pragma("cache_size = -262144");
  for (const index of indexes) sqlite.exec(`drop index "${index.name}"`);
  const random = generator(19);
  const start = Date.now() - 365 * 24 * 3600 * 1000;
  const step = (365 * 24 * 3600 * 1000) / sizes.statuses;
  sqlite.transaction(() => {
    for (let i = 0; i < sizes.statuses; i++) {
      const at = Math.floor(start + i * step);
      const id = newId(at);
      const accountId = accountIds[(i * 7919) % accountIds.length]!;
      const iri = `https://peer${i % 100}.example/statuses/${i}`;
      const words: string[] = [];
      for (let w = 0; w < WORDS_PER_STATUS; w++) words.push(vocabularyWord(zipfIndex(random())));
      insertStatus.run(id, iri, iri, accountId, `<p>${words.join(" ")}</p>`, at);
      if (i % IMAGE_EVERY === 0) {
        const prompt: string[] = [];
        for (let w = 0; w < 6; w++) {
          prompt.push(PROMPT_WORDS[Math.floor(random() * PROMPT_WORDS.length)]!);
        }
        insertMedia.run(
          newId(at),
          accountId,
          id,
          `${iri}/image.webp`,
          JSON.stringify({
            digitalSourceType:
              "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
            prompt: prompt.join(" "),
          }),
        );
      }
    }
  })();
  for (const index of indexes) sqlite.exec(index.sql);
  sqlite.pragma("cache_size = -2000");
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("analysis_limit = 1000");
  sqlite.exec("analyze");
  return { viewerId: viewer.id };
}
