// Quote posts as Mastodon 4.5 and FEP-044f have them: who may quote a status (its quote policy), the
// state a new quote starts in (ours or one received), what a viewer is shown of a quote, and the
// author's revocation. Every door (API, pages, inbox, remixes) asks these rules; none has its own.
import { and, eq, sql } from "drizzle-orm";
import type { Database, DatabaseLike } from "../db/client.ts";
import { findQuoteOf } from "../db/queries/quotes.ts";
import { findVisibleStatus } from "../db/queries/statuses.ts";
import { canSee } from "../db/queries/visibility.ts";
import {
  follows,
  QUOTE_POLICIES,
  type QuotePolicy,
  type QuoteState,
  type Status,
  statuses,
  type Visibility,
} from "../db/schema/index.ts";
import { notFound, unprocessable } from "../errors.ts";
import { notifyQuoted } from "./edit-notifications.ts";
import { recordEvent } from "./events.ts";
import type { LocalUrls } from "./local-urls.ts";

/** What a viewer may do about quoting a status (Mastodon's QuoteApproval.current_user). */
export type QuoteDecision = "automatic" | "manual" | "denied" | "unknown";

/** A quote's state as shown: the stored one, or why the quoted post cannot be shown. */
export type ShownQuoteState = QuoteState | "deleted" | "unauthorized";

/** Mastodon's QuoteApproval entity: who is approved automatically, by hand, and the viewer's answer. */
export interface QuoteApproval {
  automatic: ("public" | "followers")[];
  manual: ("public" | "followers")[];
  current_user: QuoteDecision;
}

/** Parses an API or form value of quote_approval_policy; undefined when absent, 422 when unknown. */
export function parseQuotePolicy(value: unknown): QuotePolicy | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "string" && (QUOTE_POLICIES as readonly string[]).includes(value)) {
    return value as QuotePolicy;
  }
  throw unprocessable(
    `Validation failed: quote_approval_policy must be one of ${QUOTE_POLICIES.join(", ")}`,
  );
}

/**
 * The policy that applies to `status`: followers-only and direct posts are never quoted by others
 * (Mastodon 4.5 ignores the chosen policy for them), and a local status stored before policies existed
 * is public, Mastodon's default. A remote status that said nothing has no policy (only its author).
 */
export function effectiveQuotePolicy(
  status: Pick<Status, "local" | "quotePolicy" | "visibility">,
): QuotePolicy | null {
  if (status.visibility === "private" || status.visibility === "direct") return "nobody";
  return status.quotePolicy ?? (status.local ? "public" : null);
}

/** The policy a new local status stores: the one asked for, else the author's default (public). */
export function quotePolicyToStore(
  asked: QuotePolicy | undefined,
  visibility: Visibility,
): QuotePolicy {
  if (visibility === "private" || visibility === "direct") return "nobody";
  return asked ?? "public";
}

/**
 * Whether `viewerId` may quote `status` without asking: its author always (but not a direct post),
 * others as its policy says; `followsAuthor` is whether the viewer's follow of the author is accepted.
 */
export function quoteDecisionFor(
  status: Pick<Status, "accountId" | "local" | "quotePolicy" | "visibility" | "reblogOfId">,
  viewerId: string | null,
  followsAuthor: boolean,
): QuoteDecision {
  if (viewerId === null) return "unknown";
  if (status.reblogOfId !== null || status.visibility === "direct") return "denied";
  if (status.accountId === viewerId) return "automatic";
  const policy = effectiveQuotePolicy(status);
  if (policy === "public") return "automatic";
  if (policy === "followers" && followsAuthor) return "automatic";
  return "denied";
}

/** Status.quote_approval for `viewerId`. */
export function quoteApprovalOf(
  status: Pick<Status, "accountId" | "local" | "quotePolicy" | "visibility" | "reblogOfId">,
  viewerId: string | null,
  followsAuthor: boolean,
): QuoteApproval {
  const policy = effectiveQuotePolicy(status);
  return {
    automatic: policy === "public" ? ["public"] : policy === "followers" ? ["followers"] : [],
    manual: [],
    current_user: quoteDecisionFor(status, viewerId, followsAuthor),
  };
}

/** The stored state of a status's quote; null when it quotes nothing. Quotes stored before states were
 *  recorded (remixes, the first received quotes) were shown as accepted, and stay so. */
export function quoteStateOf(status: Pick<Status, "quoteOfIri" | "quoteState">): QuoteState | null {
  if (status.quoteOfIri === null) return null;
  return status.quoteState ?? "accepted";
}

/**
 * What a viewer is shown of a quote (Mastodon's BaseQuoteSerializer): the stored state unless it is
 * accepted; an accepted quote whose quoted post is gone is "deleted", one the viewer may not see is
 * "unauthorized". The quoted post is shown only in the last case, "accepted".
 */
export function shownQuoteState(
  status: Pick<Status, "quoteOfIri" | "quoteState" | "quoteOfId">,
  quoted: { exists: boolean; visible: boolean },
): ShownQuoteState | null {
  const state = quoteStateOf(status);
  if (state !== "accepted") return state;
  if (status.quoteOfId === null || !quoted.exists) return "deleted";
  return quoted.visible ? "accepted" : "unauthorized";
}

/** Whether `followerId`'s follow of `accountId` is accepted. */
export async function followsAccepted(
  db: DatabaseLike,
  followerId: string,
  accountId: string,
): Promise<boolean> {
  const rows = await db
    .select({ id: follows.id })
    .from(follows)
    .where(
      and(
        eq(follows.accountId, followerId),
        eq(follows.targetAccountId, accountId),
        eq(follows.state, "accepted"),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/**
 * The state a quote by `quoterId` of `quoted` starts in. A local quoted post is decided here and now by
 * its policy (allowed: accepted; otherwise pending, until a QuoteRequest is answered). A remote one is
 * accepted only with a QuoteAuthorization its author issued (checked by the caller) or when quoting
 * oneself; otherwise it waits for the author's Accept.
 */
export async function initialQuoteState(
  db: DatabaseLike,
  quoted: Status | undefined,
  quoterId: string,
  authorized: boolean,
): Promise<QuoteState> {
  if (quoted === undefined) return authorized ? "accepted" : "pending";
  if (quoted.accountId === quoterId || authorized) return "accepted";
  if (!quoted.local) return "pending";
  // The same rule as a QuoteRequest's answer: one who may not see the post (a block) may not quote it.
  if (!(await canSee(db, quoted, quoterId))) return "rejected";
  const follows = await followsAccepted(db, quoterId, quoted.accountId);
  return quoteDecisionFor(quoted, quoterId, follows) === "automatic" ? "accepted" : "pending";
}

/**
 * The quote columns an Update of a remote status changes: Mastodon 4.5 sends one carrying the
 * QuoteAuthorization (checked by the caller) once the quoted author approved, and a pending quote of the
 * same post then becomes accepted. A revoked or rejected quote is not brought back by it.
 */
export function quoteAuthorizedByUpdate(
  status: Pick<Status, "quoteOfIri" | "quoteState">,
  update: { quoteOfIri: string | null; quoteAuthorizationIri?: string | null },
): Partial<Pick<Status, "quoteState" | "quoteAuthorizationIri">> {
  if (status.quoteState !== "pending" || !update.quoteAuthorizationIri) return {};
  if (update.quoteOfIri !== status.quoteOfIri) return {};
  return { quoteState: "accepted", quoteAuthorizationIri: update.quoteAuthorizationIri };
}

/**
 * The status a local author asked to quote (POST/PUT /api/v1/statuses quoted_status_id): one they may
 * see (404 otherwise, as Mastodon), not a boost, and one whose policy lets them quote it — a local one
 * at once, a remote one by asking its author (Mastodon 4.5 refuses to send a request its policy denies).
 */
export async function quotableStatus(
  db: DatabaseLike,
  accountId: string,
  quotedStatusId: string,
): Promise<Status> {
  const quoted = await findVisibleStatus(db, accountId, quotedStatusId);
  if (quoted === undefined || quoted.reblogOfId !== null) throw notFound();
  const follows = await followsAccepted(db, accountId, quoted.accountId);
  if (quoteDecisionFor(quoted, accountId, follows) === "denied") {
    throw unprocessable("Validation failed: Quoted status is not allowed to be quoted by you");
  }
  return quoted;
}

/** Refuses a quote `quoterId` may not make of `quoted` (a remix quotes its source, so it is refused too). */
export async function assertMayQuote(
  db: DatabaseLike,
  quoterId: string,
  quoted: Status,
  refusal: string,
): Promise<void> {
  const follows = await followsAccepted(db, quoterId, quoted.accountId);
  if (quoteDecisionFor(quoted, quoterId, follows) === "denied") throw unprocessable(refusal);
}

/** The quote a new or edited local status makes: what it quotes, whether as a remix, its first state. */
export interface NewQuote {
  quoted: Status;
  remix: boolean;
  state: QuoteState;
}

/**
 * The quote of a status `accountId` publishes: the status they asked to quote (quoted_status_id), else
 * the source their remixed images came from. Either must be one its author lets them quote: a remix of
 * a post whose author does not allow quotes is refused (422), not published without its link.
 */
export async function quoteForNewStatus(
  db: DatabaseLike,
  accountId: string,
  quotedStatusId: string | null | undefined,
  remixOf: Status | undefined,
): Promise<NewQuote | undefined> {
  let quoted: Status;
  if (quotedStatusId) quoted = await quotableStatus(db, accountId, quotedStatusId);
  else if (remixOf !== undefined) {
    await assertMayQuote(db, accountId, remixOf, REMIX_REFUSED);
    quoted = remixOf;
  } else return undefined;
  // Asking to quote the very post the images were remixed from is still a remix.
  const remix = remixOf?.id === quoted.id;
  return { quoted, remix, state: await initialQuoteState(db, quoted, accountId, false) };
}

export const REMIX_REFUSED =
  "The author of this post does not allow quotes, and a remix quotes its source: it cannot be remixed";

/** The quote columns of a status for a NewQuote (or none), with its remix lineage (remix_of_id). */
export function quoteColumns(quote: NewQuote | undefined) {
  return {
    quoteOfId: quote?.quoted.id ?? null,
    // Only a remix names its source as such: a plain quote is not counted among the source's remixes.
    remixOfId: quote?.remix ? quote.quoted.id : null,
    quoteOfIri: quote?.quoted.iri ?? null,
    quoteState: quote?.state ?? null,
    quoteAuthorizationIri: null,
  };
}

/**
 * The quote of a local status after an edit: kept when `quotedStatusId` is absent or names the status it
 * already quotes, dropped when it is null or empty, replaced (and checked as a new quote) otherwise.
 * `columns` holds what changes (nothing when kept).
 */
export async function quoteOnEdit(
  db: DatabaseLike,
  status: Status,
  quotedStatusId: string | null | undefined,
  remixOf: Status | undefined,
): Promise<{ quote: NewQuote | undefined; columns: Partial<ReturnType<typeof quoteColumns>> }> {
  if (quotedStatusId === undefined || (quotedStatusId && quotedStatusId === status.quoteOfId)) {
    const quoted = status.quoteOfId
      ? (await db.select().from(statuses).where(eq(statuses.id, status.quoteOfId)).limit(1))[0]
      : undefined;
    const state = quoteStateOf(status) ?? "accepted";
    const quote = quoted && { quoted, remix: remixOf?.id === quoted.id, state };
    return { quote, columns: {} };
  }
  if (!quotedStatusId) return { quote: undefined, columns: quoteColumns(undefined) };
  const quote = await quoteForNewStatus(db, status.accountId, quotedStatusId, undefined);
  return { quote, columns: quoteColumns(quote) };
}

/**
 * The quoted post's author withdraws their consent to a quote of it (Mastodon's revoke): the quote
 * becomes "revoked" whatever its state, the QuoteAuthorization it had is forgotten, and `quote.revoked`
 * tells federation to delete that authorization. Someone else's status, or one that is not quoted by
 * `quotingId`, is 404.
 */
export async function revokeQuote(
  db: Database,
  accountId: string,
  statusId: string,
  quotingId: string,
): Promise<Status> {
  return await db.transaction(async (tx) => {
    const quoted = await findVisibleStatus(tx, accountId, statusId);
    if (quoted === undefined || quoted.accountId !== accountId) throw notFound();
    const quoting = await findQuoteOf(tx, statusId, quotingId);
    if (quoting === undefined) throw notFound();
    const [row] = await tx
      .update(statuses)
      .set({ quoteState: "revoked", quoteAuthorizationIri: null })
      .where(eq(statuses.id, quoting.id))
      .returning();
    await recordEvent(tx, {
      type: "quote.revoked",
      statusId: quoting.id,
      quotedStatusId: statusId,
      authorizationIri: quoting.quoteAuthorizationIri,
    });
    return row!;
  });
}

/**
 * Answers a QuoteRequest (FEP-044f) from `requesterId` to quote the local status `quoted` with their
 * `quoting` post: the quoted post's policy decides, as for any quote (automatic: accepted, with a
 * QuoteAuthorization we serve at `urls.quoteAuthorization`; otherwise rejected, since no one here approves
 * by hand). A quote its author revoked stays revoked. Records `quote.answered` for the outbox.
 */
export async function answerQuoteRequest(
  db: Database,
  urls: LocalUrls,
  input: { requestIri: string; requesterId: string; quoting: Status; quoted: Status },
): Promise<boolean> {
  const { quoting, quoted, requesterId } = input;
  return await db.transaction(async (tx) => {
    const follows = await followsAccepted(tx, requesterId, quoted.accountId);
    const accepted =
      quoting.quoteState !== "revoked" &&
      quoted.local &&
      quoting.accountId === requesterId &&
      (await canSee(tx, quoted, requesterId)) &&
      quoteDecisionFor(quoted, requesterId, follows) === "automatic";
    await tx
      .update(statuses)
      .set(
        accepted
          ? {
              quoteState: "accepted",
              quoteOfId: quoted.id,
              quoteAuthorizationIri: urls.quoteAuthorization(quoting.id),
            }
          : { quoteState: quoting.quoteState === "revoked" ? "revoked" : "rejected" },
      )
      .where(eq(statuses.id, quoting.id));
    if (accepted) {
      await notifyQuoted(tx, { ...quoting, quoteOfId: quoted.id, quoteState: "accepted" });
    }
    await recordEvent(tx, {
      type: "quote.answered",
      requestIri: input.requestIri,
      statusId: quoting.id,
      quotedStatusId: quoted.id,
      accepted,
    });
    return accepted;
  });
}

/**
 * The quoted post's author answered our QuoteRequest for the local `quoting` status: accepted with the
 * QuoteAuthorization they issued, or rejected. The status is federated again (Update), so that its
 * readers see the authorization, as Mastodon 4.5 does. Only a pending quote takes an answer: a late or
 * replayed Accept must not bring back an approval that was revoked (its authorization deleted) or refused.
 */
export async function receiveQuoteAnswer(
  db: Database,
  quoting: Status,
  answer: { accepted: true; authorizationIri: string } | { accepted: false },
): Promise<void> {
  await db.transaction(async (tx) => {
    const answered = await tx
      .update(statuses)
      .set(
        answer.accepted
          ? { quoteState: "accepted", quoteAuthorizationIri: answer.authorizationIri }
          : { quoteState: "rejected", quoteAuthorizationIri: null },
      )
      .where(and(eq(statuses.id, quoting.id), eq(statuses.quoteState, "pending")))
      .returning({ id: statuses.id });
    if (answered.length > 0 && answer.accepted) {
      await recordEvent(tx, { type: "status.edited", statusId: quoting.id });
    }
  });
}

/** A remote author deleted the QuoteAuthorization of a quote of their post: the quote is revoked. */
export async function receiveAuthorizationDeleted(
  db: DatabaseLike,
  authorizationIri: string,
  /** The Delete's actor: only the quoted post's author may take its approval back. */
  senderIri: string,
): Promise<void> {
  await db
    .update(statuses)
    .set({ quoteState: "revoked", quoteAuthorizationIri: null })
    .where(
      and(
        eq(statuses.quoteAuthorizationIri, authorizationIri),
        sql`${statuses.quoteOfId} in (select qs.id from statuses qs
          join accounts qa on qa.id = qs.account_id where qa.iri = ${senderIri})`,
      ),
    );
}
