// The audit log of moderation (Mastodon's admin action log): every moderator action, from the admin API,
// the admin pages or the command line, is written here by the domain function that carries it out, so no
// door can act without leaving a trace. The admin page reads it newest first.
import { and, desc, eq, lt } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { accounts, moderationLogs } from "../db/schema/index.ts";

export type ModerationLogEntry = typeof moderationLogs.$inferSelect;

/** Who acts: a moderator's account, or null for the command line; and the note they gave. */
export interface ModeratorRef {
  moderatorId: string | null;
  text?: string | undefined;
}

/** The command line, which acts without an account. */
export const COMMAND_LINE: ModeratorRef = { moderatorId: null };

export interface ModerationRecord {
  /** The moderator's account; null for the command line. */
  moderatorId: string | null;
  /** "account.silence", "domain_block.create", "report.resolve", … */
  action: string;
  targetType: "account" | "domain_allow" | "domain_block" | "email_domain_block" | "report";
  targetId: string;
  /** How the target is named in the log: "@alice@remote.example", "spam.example". */
  targetLabel: string;
  text?: string | undefined;
}

export async function recordModeration(db: DatabaseLike, entry: ModerationRecord): Promise<void> {
  await db.insert(moderationLogs).values({
    id: newId(),
    accountId: entry.moderatorId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    targetLabel: entry.targetLabel,
    text: entry.text ?? "",
  });
}

export interface ModerationLogRow {
  entry: ModerationLogEntry;
  /** The moderator's username, or null for the command line (or a moderator since deleted). */
  moderator: string | null;
}

/** The newest entries, `limit` of them, older than `beforeId` when given. */
export async function moderationLogPage(
  db: DatabaseLike,
  limit: number,
  beforeId?: string,
): Promise<ModerationLogRow[]> {
  const rows = await db
    .select({ entry: moderationLogs, moderator: accounts.username })
    .from(moderationLogs)
    .leftJoin(accounts, eq(accounts.id, moderationLogs.accountId))
    .where(and(beforeId === undefined ? undefined : lt(moderationLogs.id, beforeId)))
    .orderBy(desc(moderationLogs.id))
    .limit(limit);
  return rows;
}

/** How an account is named in the log. */
export const accountLabel = (a: { username: string; domain: string | null }) =>
  a.domain === null ? `@${a.username}` : `@${a.username}@${a.domain}`;
