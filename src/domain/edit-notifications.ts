// The notifications Mastodon 4.5 sends about quotes and edits: `quote` tells a local author that a post of
// theirs was quoted (once the quote is accepted, whoever wrote it and wherever); `update` tells the local
// accounts that boosted a status that it was edited, and `quoted_update` tells those whose accepted quote
// shows it. Each goes through addNotification, so policies, blocks and domain blocks apply as to any other.
import { and, eq, sql } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import { accounts, notifications, type Status, statuses } from "../db/schema/index.ts";
import { addNotification } from "./notification-records.ts";

/**
 * `quoting` is an accepted quote: its quoted post's local author is told, with the quoting status, once
 * (a status accepted after a request, then edited, does not notify again).
 */
export async function notifyQuoted(
  db: DatabaseLike,
  quoting: Pick<Status, "id" | "accountId" | "quoteOfId" | "quoteState">,
): Promise<void> {
  if (quoting.quoteOfId === null || quoting.quoteState !== "accepted") return;
  const quoted = (
    await db
      .select({ accountId: statuses.accountId })
      .from(statuses)
      .where(eq(statuses.id, quoting.quoteOfId))
      .limit(1)
  )[0];
  if (quoted === undefined) return;
  const already = (
    await db
      .select({ id: notifications.id })
      .from(notifications)
      .where(
        and(
          eq(notifications.accountId, quoted.accountId),
          eq(notifications.statusId, quoting.id),
          eq(notifications.type, "quote"),
        ),
      )
      .limit(1)
  )[0];
  if (already !== undefined) return;
  await addNotification(db, {
    accountId: quoted.accountId,
    fromAccountId: quoting.accountId,
    type: "quote",
    statusId: quoting.id,
  });
}

/**
 * `edited` changed (an edit here or an Update from its server): the local accounts that boosted it get
 * `update`, and the local authors of accepted quotes of it get `quoted_update` with their quoting status
 * (the one their readers see it in), both from the editor.
 */
export async function notifyAboutEdit(
  db: DatabaseLike,
  edited: Pick<Status, "id" | "accountId">,
): Promise<void> {
  const local = sql`exists (select 1 from ${accounts} where ${accounts.id} = ${statuses.accountId}
    and ${accounts.domain} is null)`;
  const boosters = await db
    .selectDistinct({ accountId: statuses.accountId })
    .from(statuses)
    .where(and(eq(statuses.reblogOfId, edited.id), local));
  for (const { accountId } of boosters) {
    await addNotification(db, {
      accountId,
      fromAccountId: edited.accountId,
      type: "update",
      statusId: edited.id,
    });
  }
  const quotes = await db
    .select({ id: statuses.id, accountId: statuses.accountId })
    .from(statuses)
    .where(and(eq(statuses.quoteOfId, edited.id), eq(statuses.quoteState, "accepted"), local));
  for (const quote of quotes) {
    await addNotification(db, {
      accountId: quote.accountId,
      fromAccountId: edited.accountId,
      type: "quoted_update",
      statusId: quote.id,
    });
  }
}
