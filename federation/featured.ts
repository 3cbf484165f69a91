// The featured collections of each local actor, as Mastodon serves them: `featured` (toot:featured), an
// OrderedCollection of the pinned statuses' Notes, newest pin first, each only when the signer of the
// request may see it (anonymous: public and unlisted); and `featuredTags` (toot:featuredTags), a
// Collection of Hashtag objects. Both are small (5 and 10 at most), so they are served whole.
import type { Federation } from "@fedify/fedify";
import { Hashtag } from "@fedify/vocab";
import { featuredTagsOf, pinnedStatuses } from "../src/db/queries/pins.ts";
import { findLocalAccount } from "../src/domain/accounts.ts";
import type { LocalUrls } from "../src/domain/local-urls.ts";
import { fetchAuthorized } from "./authorized-fetch.ts";
import type { FederationDeps } from "./context.ts";
import { loadStatusBundle } from "./loaders.ts";
import { statusToNote } from "./mappers/to-ap.ts";
import { signerAccount } from "./objects.ts";

/** A featured hashtag as Mastodon's featuredTags items: `#name`, linking to the tag's page. */
export function featuredTagToHashtag(
  tag: { tagName: string; displayName: string },
  urls: LocalUrls,
): Hashtag {
  return new Hashtag({
    name: `#${tag.displayName || tag.tagName}`,
    href: new URL(urls.tag(tag.tagName)),
  });
}

export function registerFeaturedCollections(federation: Federation<FederationDeps>): void {
  federation
    .setFeaturedDispatcher("/users/{identifier}/featured", async (ctx, identifier) => {
      const account = await findLocalAccount(ctx.data.db, identifier);
      if (account === undefined) return null;
      // A suspended account features nothing while the suspension lasts (its statuses are hidden).
      if (account.suspendedAt !== null) return { items: [] };
      const viewer = await signerAccount(ctx);
      const pinned = await pinnedStatuses(ctx.data.db, viewer?.id ?? null, account.id);
      const items = [];
      for (const status of pinned) {
        const bundle = await loadStatusBundle(ctx.data.db, status);
        if (bundle !== null)
          items.push(statusToNote(bundle, ctx.data.urls, ctx.data.config.domain));
      }
      return { items };
    })
    .authorize(fetchAuthorized);

  federation
    .setFeaturedTagsDispatcher("/users/{identifier}/featured_tags", async (ctx, identifier) => {
      const account = await findLocalAccount(ctx.data.db, identifier);
      if (account === undefined) return null;
      if (account.suspendedAt !== null) return { items: [] };
      const items = (await featuredTagsOf(ctx.data.db, account.id)).map((t) =>
        featuredTagToHashtag(
          { tagName: t.featuredTag.tagName, displayName: t.displayName },
          ctx.data.urls,
        ),
      );
      return { items };
    })
    .authorize(fetchAuthorized);
}
