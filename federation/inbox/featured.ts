// Add and Remove on an actor's featured collections, as Mastodon sends them on pin and unpin: accepted
// only from the collection's owner (the target must be the featured or featuredTags collection its
// actor document named), and only for its own posts (fetched from its origin when not stored yet).
import { type Add, Hashtag, type Remove } from "@fedify/vocab";
import { addRemoteFeaturedTag, removeRemoteFeaturedTag } from "../../src/domain/featured-tags.ts";
import { addRemotePin, unpinStatus } from "../../src/domain/pins.ts";
import { readFeaturedCollections } from "../remote-featured.ts";
import { type Ctx, log, sender, statusOf } from "./support.ts";

/** Which of the sender's collections the activity targets, if one. */
function targetOf(
  account: { featuredUrl: string | null; featuredTagsUrl: string | null },
  target: URL | null,
) {
  if (target === null) return null;
  if (account.featuredUrl !== null && target.href === account.featuredUrl) return "featured";
  if (account.featuredTagsUrl !== null && target.href === account.featuredTagsUrl) return "tags";
  return null;
}

/** The Hashtag an Add or Remove carries (Fedify parses it as a Link), by name. */
async function hashtagName(activity: Add | Remove): Promise<string | null> {
  const json = (await activity.toJsonLd()) as { object?: { type?: unknown; name?: unknown } };
  const object = json.object;
  if (object !== undefined && object.type === "Hashtag" && typeof object.name === "string") {
    return object.name;
  }
  const parsed = await activity.getObject({ suppressError: true } as never).catch(() => null);
  return parsed instanceof Hashtag ? (parsed.name?.toString() ?? null) : null;
}

export async function onAdd(ctx: Ctx, add: Add): Promise<void> {
  const account = await sender(ctx, add);
  if (account === null) return;
  const target = targetOf(account, add.targetId);
  if (target === null) {
    log.info("Ignoring Add {id} to a collection that is not its actor's featured one.", {
      id: add.id?.href,
    });
    return;
  }
  if (target === "tags") {
    const name = await hashtagName(add);
    if (name !== null) await addRemoteFeaturedTag(ctx.data.db, account, name);
    return;
  }
  const status = await statusOf(ctx, add.objectId);
  if (status !== null) {
    if (!(await addRemotePin(ctx.data.db, account, status))) {
      log.info("Dropping Add {id} of a post its actor may not feature.", { id: add.id?.href });
    }
    return;
  }
  // A post not stored here yet: read the collection again, which stores its own posts (bounded).
  await readFeaturedCollections(ctx, account);
}

export async function onRemove(ctx: Ctx, remove: Remove): Promise<void> {
  const account = await sender(ctx, remove);
  if (account === null) return;
  const target = targetOf(account, remove.targetId);
  if (target === null) return;
  if (target === "tags") {
    const name = await hashtagName(remove);
    if (name !== null) await removeRemoteFeaturedTag(ctx.data.db, account, name);
    return;
  }
  const status = await statusOf(ctx, remove.objectId);
  if (status !== null && status.accountId === account.id) {
    await unpinStatus(ctx.data.db, account, status);
  }
}
