// Local actors' key pairs (stored as JWK in actor_keys) as CryptoKeys, and the instance actor's account,
// created on first use.
import { importJwk } from "@fedify/fedify";
import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "../src/db/client.ts";
import { newId } from "../src/db/ids.ts";
import { type Account, accounts, actorKeys } from "../src/db/schema/index.ts";
import { generateActorKeyPairs } from "../src/domain/keys.ts";
import type { LocalUrls } from "../src/domain/local-urls.ts";
import { INSTANCE_ACTOR } from "./mappers/to-ap.ts";

const cache = new WeakMap<Database, Map<string, CryptoKeyPair[]>>();

/** The RSA pair first (draft-cavage signatures), then Ed25519 (proofs, RFC 9421). */
export async function loadKeyPairs(db: Database, accountId: string): Promise<CryptoKeyPair[]> {
  let byAccount = cache.get(db);
  if (byAccount === undefined) {
    byAccount = new Map();
    cache.set(db, byAccount);
  }
  const cached = byAccount.get(accountId);
  if (cached !== undefined) return cached;
  const rows = await db.select().from(actorKeys).where(eq(actorKeys.accountId, accountId));
  rows.sort((a, b) =>
    a.algorithm === "RSASSA-PKCS1-v1_5" ? -1 : b.algorithm === a.algorithm ? 0 : 1,
  );
  const pairs: CryptoKeyPair[] = [];
  for (const row of rows) {
    pairs.push({
      privateKey: await importJwk(row.privateKeyJwk, "private"),
      publicKey: await importJwk(row.publicKeyJwk, "public"),
    });
  }
  byAccount.set(accountId, pairs);
  return pairs;
}

/** Forgets cached pairs of an account whose keys were discarded (a deleted account). */
export function forgetKeyPairs(db: Database, accountId: string): void {
  cache.get(db)?.delete(accountId);
}

const instanceActors = new WeakMap<Database, Promise<Account>>();

/**
 * The Application actor that signs the server's own fetches; made once, with its keys. Remembered per
 * database: Fedify asks for its keys for every inbox activity (the shared inbox's document loader), and
 * the row never changes once made. The queue's start and the first inbox request ask for it at the same
 * moment on a fresh instance, so both wait on one promise.
 */
export function ensureInstanceActor(db: Database, urls: LocalUrls): Promise<Account> {
  const remembered = instanceActors.get(db);
  if (remembered !== undefined) return remembered;
  const made = findOrMakeInstanceActor(db, urls);
  instanceActors.set(db, made);
  // A failure is not remembered: the next call tries again.
  made.catch(() => instanceActors.delete(db));
  return made;
}

async function findOrMakeInstanceActor(db: Database, urls: LocalUrls): Promise<Account> {
  const find = async () =>
    (
      await db
        .select()
        .from(accounts)
        .where(and(isNull(accounts.domain), eq(accounts.username, INSTANCE_ACTOR)))
        .limit(1)
    )[0];
  const existing = await find();
  if (existing !== undefined) return existing;
  const keys = await generateActorKeyPairs();
  const made = await db.transaction(
    async (tx) => {
      const again = (
        await tx
          .select()
          .from(accounts)
          .where(and(isNull(accounts.domain), eq(accounts.username, INSTANCE_ACTOR)))
          .limit(1)
      )[0];
      if (again !== undefined) return again;
      const id = newId();
      // On PostgreSQL another process (a web and a worker starting together) may insert it between the
      // read above and this insert: its IRI is unique, so that insert wins and this one adds nothing.
      const inserted = (
        await tx
          .insert(accounts)
          .values({
            id,
            username: INSTANCE_ACTOR,
            domain: null,
            iri: urls.actor(INSTANCE_ACTOR),
            url: urls.actor(INSTANCE_ACTOR),
            type: "Application",
            displayName: INSTANCE_ACTOR,
            inboxUrl: urls.inbox(INSTANCE_ACTOR),
            sharedInboxUrl: urls.sharedInbox(),
            outboxUrl: urls.outbox(INSTANCE_ACTOR),
            followersUrl: urls.followers(INSTANCE_ACTOR),
            followingUrl: urls.following(INSTANCE_ACTOR),
            featuredUrl: urls.featured(INSTANCE_ACTOR),
            featuredTagsUrl: urls.featuredTags(INSTANCE_ACTOR),
            locked: true,
            bot: true,
          })
          .onConflictDoNothing({ target: accounts.iri })
          .returning()
      )[0];
      if (inserted === undefined) return undefined;
      await tx.insert(actorKeys).values(keys.map((k) => ({ accountId: id, ...k })));
      return inserted;
      // IMMEDIATE takes the write lock before the first read, so a writer in another process makes this
      // wait (busy_timeout) instead of failing when a read transaction cannot be upgraded.
    },
    { behavior: "immediate" },
  );
  if (made !== undefined) return made;
  const winner = await find();
  if (winner === undefined) throw new Error("the instance actor was neither found nor made");
  return winner;
}
