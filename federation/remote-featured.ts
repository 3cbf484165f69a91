// Reading a remote actor's featured collections when its actor document is (re)fetched or updated:
// `featured` (its pinned posts) and `featuredTags` (its featured hashtags), so the API and the pages show
// them for remote accounts too. Bounded: one fetch per collection (plus its first page when the items
// are not inline), at most MAX_ITEMS items, only posts on the actor's origin attributed to it (a
// collection cannot make us store someone else's post), and a failure keeps what was stored before.
import type { Context, DocumentLoader } from "@fedify/fedify";
import { type Object as APObject, Collection, CollectionPage, Hashtag } from "@fedify/vocab";
import type { Account, Status } from "../src/db/schema/index.ts";
import { replaceRemoteFeaturedTags } from "../src/domain/featured-tags.ts";
import { MAX_REMOTE_PINS, replaceRemotePins } from "../src/domain/pins.ts";
import { findStatusByIri, receiveRemoteStatus } from "../src/domain/remote-statuses.ts";
import { logger } from "../src/logging.ts";
import { fetchRemoteJson, RemoteFetchError } from "../src/media/remote-fetch.ts";
import { SOFTWARE_NAME, SOFTWARE_VERSION } from "../src/version.ts";
import type { FederationDeps } from "./context.ts";
import { isPost, noteToStatusInput } from "./mappers/from-ap.ts";
import { INSTANCE_ACTOR } from "./mappers/to-ap.ts";

const log = logger("federation", "featured");

const MAX_ITEMS = MAX_REMOTE_PINS;

type Ctx = Context<FederationDeps>;

/**
 * The first MAX_ITEMS items of the collection at `url` (inline, or on its first page); null on failure.
 * Fetched unsigned and uncached (bounded like every remote document), and signed by the instance actor
 * only when the server asks for a signature (401/403, secure mode): Fedify answers a signed fetch that
 * fails with another 4xx by switching signature schemes for that server, so a missing collection fetched
 * signed would change how every later delivery there is signed.
 */
async function collectionItems(ctx: Ctx, url: string): Promise<unknown[] | null> {
  // A plain context's loader is unsigned (an inbox context's signs as the shared-key actor).
  let documentLoader: DocumentLoader = ctx.federation.createContext(
    new URL(ctx.data.config.origin),
    ctx.data,
  ).documentLoader;
  let collection: unknown = null;
  try {
    const fetched = await fetchRemoteJson(url, {
      accept: "application/activity+json, application/ld+json",
      allowPrivateAddress: ctx.data.config.federationAllowPrivateAddress,
      maxBytes: 1_000_000,
      timeoutMs: 10_000,
      maxRedirects: 0,
      userAgent: `${SOFTWARE_NAME}/${SOFTWARE_VERSION}`,
    });
    collection = await Collection.fromJsonLd(JSON.parse(fetched.bytes.toString("utf8")), {
      documentLoader,
      contextLoader: ctx.contextLoader,
    });
  } catch (error) {
    if (!(error instanceof RemoteFetchError) || !/^HTTP 40[13]$/.test(error.reason)) return null;
    documentLoader = await ctx.getDocumentLoader({ identifier: INSTANCE_ACTOR });
    collection = await ctx.lookupObject(url, { documentLoader }).catch(() => null);
  }
  if (!(collection instanceof Collection) || collection.id?.href !== url) return null;
  let source: Collection | CollectionPage = collection;
  if (collection.itemIds.length === 0 && collection.firstId !== null) {
    const first = await collection.getFirst({ documentLoader });
    if (first instanceof CollectionPage) source = first;
  }
  const items: unknown[] = [];
  for await (const item of source.getItems({ documentLoader, suppressError: true })) {
    items.push(item);
    if (items.length >= MAX_ITEMS) break;
  }
  return items;
}

/** A post of `account` from its featured collection, stored if new; null when it is not one of its own. */
async function authoredStatus(ctx: Ctx, account: Account, item: unknown): Promise<Status | null> {
  if (!isPost(item) || item.id === null) return null;
  if (item.id.origin !== new URL(account.iri).origin) return null;
  const known = await findStatusByIri(ctx.data.db, item.id.href);
  if (known !== undefined) return known.accountId === account.id ? known : null;
  const attributed =
    item.attributionId?.href === account.iri ||
    item.attributionIds.some((a) => a.href === account.iri);
  if (!attributed) return null;
  const raw = (await item.toJsonLd()) as Record<string, unknown>;
  const input = await noteToStatusInput(item as APObject, raw, account.followersUrl);
  return await receiveRemoteStatus(ctx.data.db, account, input);
}

async function readFeatured(ctx: Ctx, account: Account): Promise<void> {
  if (account.featuredUrl === null) return;
  const items = await collectionItems(ctx, account.featuredUrl);
  if (items === null) return;
  const pinned: Status[] = [];
  for (const item of items) {
    const status = await authoredStatus(ctx, account, item).catch(() => null);
    if (status !== null) pinned.push(status);
  }
  await replaceRemotePins(ctx.data.db, account, pinned);
}

async function readFeaturedTags(ctx: Ctx, account: Account): Promise<void> {
  if (account.featuredTagsUrl === null) return;
  const items = await collectionItems(ctx, account.featuredTagsUrl);
  if (items === null) return;
  const names = items.flatMap((item) =>
    item instanceof Hashtag && item.name !== null ? [item.name.toString()] : [],
  );
  await replaceRemoteFeaturedTags(ctx.data.db, account, names);
}

/** Reads both featured collections of a remote account (failures are logged, never thrown). */
export async function readFeaturedCollections(ctx: Ctx, account: Account): Promise<void> {
  if (account.domain === null) return;
  await Promise.all(
    [readFeatured, readFeaturedTags].map((read) =>
      read(ctx, account).catch((error) => {
        log.info("Could not read a featured collection of {iri}: {error}", {
          iri: account.iri,
          error,
        });
      }),
    ),
  );
}
