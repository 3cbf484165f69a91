// Collection dispatchers: each local actor's outbox (public Creates), followers and following,
// as paginated OrderedCollections with totals. Cursors are row ids (time-sortable), newest first.
import type { Federation } from "@fedify/fedify";
import type { Recipient } from "@fedify/vocab";
import { and, count, desc, eq, inArray, isNull, lt } from "drizzle-orm";
import { authorNotSuspended } from "../src/db/queries/visibility.ts";
import { accounts, follows, statuses } from "../src/db/schema/index.ts";
import { findLocalAccount } from "../src/domain/accounts.ts";
import { fetchAuthorized } from "./authorized-fetch.ts";
import type { FederationDeps } from "./context.ts";
import { loadStatusBundle } from "./loaders.ts";
import { ExtendedCreate } from "./mappers/extensions.ts";
import { statusToNote } from "./mappers/to-ap.ts";

const PAGE = 20;

function page<T extends { id: string }>(rows: T[]) {
  const items = rows.slice(0, PAGE);
  return { items, nextCursor: rows.length > PAGE ? items[items.length - 1]!.id : null };
}

async function followRows(
  deps: FederationDeps,
  side: "followers" | "following",
  accountId: string,
  cursor: string,
) {
  const mine = side === "followers" ? follows.targetAccountId : follows.accountId;
  const other = side === "followers" ? follows.accountId : follows.targetAccountId;
  return await deps.db
    .select({ id: follows.id, account: accounts })
    .from(follows)
    .innerJoin(accounts, eq(accounts.id, other))
    .where(
      and(
        eq(mine, accountId),
        eq(follows.state, "accepted"),
        cursor === "" ? undefined : lt(follows.id, cursor),
      ),
    )
    .orderBy(desc(follows.id))
    .limit(PAGE + 1);
}

export function registerCollections(federation: Federation<FederationDeps>): void {
  federation
    .setFollowersDispatcher("/users/{identifier}/followers", async (ctx, identifier, cursor) => {
      const account = await findLocalAccount(ctx.data.db, identifier);
      if (account === undefined || cursor === null) return null;
      const { items, nextCursor } = page(
        await followRows(ctx.data, "followers", account.id, cursor),
      );
      const recipients: Recipient[] = items.map(({ account: a }) => ({
        id: new URL(a.iri),
        inboxId: a.inboxUrl ? new URL(a.inboxUrl) : null,
        endpoints: { sharedInbox: a.sharedInboxUrl ? new URL(a.sharedInboxUrl) : null },
      }));
      return { items: recipients, nextCursor };
    })
    .setFirstCursor(() => "")
    .setCounter(
      async (ctx, identifier) =>
        (await findLocalAccount(ctx.data.db, identifier))?.followersCount ?? null,
    )
    .authorize(fetchAuthorized);

  federation
    .setFollowingDispatcher("/users/{identifier}/following", async (ctx, identifier, cursor) => {
      const account = await findLocalAccount(ctx.data.db, identifier);
      if (account === undefined || cursor === null) return null;
      const { items, nextCursor } = page(
        await followRows(ctx.data, "following", account.id, cursor),
      );
      return { items: items.map(({ account: a }) => new URL(a.iri)), nextCursor };
    })
    .setFirstCursor(() => "")
    .setCounter(
      async (ctx, identifier) =>
        (await findLocalAccount(ctx.data.db, identifier))?.followingCount ?? null,
    )
    .authorize(fetchAuthorized);

  // A suspended account's outbox is empty while the suspension lasts (src/domain/suspensions.ts).
  const publicStatuses = (accountId: string, cursor: string) =>
    and(
      eq(statuses.accountId, accountId),
      authorNotSuspended(),
      isNull(statuses.reblogOfId),
      inArray(statuses.visibility, ["public", "unlisted"]),
      cursor === "" ? undefined : lt(statuses.id, cursor),
    );

  federation
    .setOutboxDispatcher("/users/{identifier}/outbox", async (ctx, identifier, cursor) => {
      const account = await findLocalAccount(ctx.data.db, identifier);
      if (account === undefined || cursor === null) return null;
      const rows = await ctx.data.db
        .select()
        .from(statuses)
        .where(publicStatuses(account.id, cursor))
        .orderBy(desc(statuses.id))
        .limit(PAGE + 1);
      const { items, nextCursor } = page(rows);
      const activities = (
        await Promise.all(
          items.map(async (status) => {
            const bundle = await loadStatusBundle(ctx.data.db, status);
            if (bundle === null) return [];
            const note = statusToNote(bundle, ctx.data.urls, ctx.data.config.domain);
            return [
              new ExtendedCreate({
                id: new URL(`${status.iri}#create`),
                actor: new URL(account.iri),
                object: note,
                published: note.published,
                tos: note.toIds,
                ccs: note.ccIds,
              }),
            ];
          }),
        )
      ).flat();
      return { items: activities, nextCursor };
    })
    .setFirstCursor(() => "")
    .setCounter(async (ctx, identifier) => {
      const account = await findLocalAccount(ctx.data.db, identifier);
      if (account === undefined) return null;
      return (
        (
          await ctx.data.db
            .select({ n: count() })
            .from(statuses)
            .where(publicStatuses(account.id, ""))
            .limit(1)
        )[0]?.n ?? 0
      );
    })
    .authorize(fetchAuthorized);
}
