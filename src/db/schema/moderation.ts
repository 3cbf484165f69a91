// Moderation records: reports (incoming Flag activities and local reports), blocked and allowed domains.
import { sql } from "drizzle-orm";
import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { createdAt, flag, id, timestamp } from "./columns.ts";

/** Mastodon's report categories (Atelier has no instance rules, so no `violation` rule ids are kept). */
export const REPORT_CATEGORIES = ["spam", "legal", "violation", "other"] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

export const reports = sqliteTable(
  "reports",
  {
    id: id(),
    /** The Flag activity's id, for remote reports. */
    iri: text("iri"),
    /** Who reported (a remote account, or a local user). */
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    targetAccountId: text("target_account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    statusIds: text("status_ids", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    comment: text("comment").notNull().default(""),
    /** What the reporter chose; Flags carry none, so received reports are "other". */
    category: text("category").$type<ReportCategory>().notNull().default("other"),
    /** A local report a Flag was queued for, to the reported account's server. */
    forwarded: flag("forwarded"),
    createdAt: createdAt(),
    resolvedAt: timestamp("resolved_at"),
    /** The moderator who resolved it (null while open, and for reports resolved before this was kept). */
    resolvedByAccountId: text("resolved_by_account_id").references(() => accounts.id, {
      onDelete: "set null",
    }),
    /** The moderator who took it on (Mastodon's assign_to_self), or null. */
    assignedAccountId: text("assigned_account_id").references(() => accounts.id, {
      onDelete: "set null",
    }),
    /** The last change: made, resolved, reopened, assigned. */
    updatedAt: timestamp("updated_at"),
  },
  (t) => [uniqueIndex("reports_iri_unique").on(t.iri)],
);

/** Instances we neither accept activities from nor deliver to. Host, lower-case, port included if any. */
export const domainBlocks = sqliteTable(
  "domain_blocks",
  {
    domain: text("domain").primaryKey(),
    /** The block's id in Mastodon's admin API (time-sortable, so its lists page by it). */
    blockId: text("block_id").notNull(),
    /** The public comment: shown on /api/v1/instance/domain_blocks when reasons are published. */
    reason: text("reason").notNull().default(""),
    /** A note for moderators only. */
    privateComment: text("private_comment"),
    /** Whether the public list shows the domain partly hidden (Mastodon's `obfuscate`). */
    obfuscate: flag("obfuscate"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("domain_blocks_block_id_unique").on(t.blockId)],
);

/**
 * Instances we federate with when LIMITED_FEDERATION_MODE is on (Mastodon's domain allows): one exact
 * host, in canonicalDomain's form (domain/moderation.ts), port included if any. Ignored otherwise.
 */
export const domainAllows = sqliteTable(
  "domain_allows",
  {
    /** The allow's id in Mastodon's admin API (time-sortable, so its list pages by it). */
    id: id(),
    domain: text("domain").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("domain_allows_domain_unique").on(t.domain)],
);

/**
 * E-mail domains nobody may sign up with (domain/email-domain-blocks.ts): a blocked domain covers its
 * subdomains too. Lower-case, without a trailing dot.
 */
export const emailDomainBlocks = sqliteTable(
  "email_domain_blocks",
  {
    domain: text("domain").primaryKey(),
    /** The block's id in Mastodon's admin API. */
    blockId: text("block_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("email_domain_blocks_block_id_unique").on(t.blockId)],
);

/**
 * Sign-ups refused for a blocked e-mail domain, kept a week for the admin API's `history` (attempts per
 * day and how many addresses made them). The client address is kept only as a hash of its bucket.
 */
export const emailDomainBlockAttempts = sqliteTable(
  "email_domain_block_attempts",
  {
    id: id(),
    domain: text("domain")
      .notNull()
      .references(() => emailDomainBlocks.domain, { onDelete: "cascade" }),
    addressHash: text("address_hash").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("email_domain_block_attempts_domain_idx").on(t.domain, t.createdAt)],
);

/** Mastodon's account moderation actions (Admin::AccountAction types). */
export const ACCOUNT_ACTIONS = ["none", "sensitive", "disable", "silence", "suspend"] as const;
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number];

/**
 * A moderator's action on an account and the note that came with it (Mastodon's AccountWarning, "strike"):
 * what a local user is told in a `moderation_warning` notification and e-mail.
 */
export const accountWarnings = sqliteTable(
  "account_warnings",
  {
    id: id(),
    targetAccountId: text("target_account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** The moderator (null once their account is gone, or for an action from the command line). */
    accountId: text("account_id").references(() => accounts.id, { onDelete: "set null" }),
    action: text("action").$type<AccountAction>().notNull(),
    text: text("text").notNull().default(""),
    reportId: text("report_id").references(() => reports.id, { onDelete: "set null" }),
    statusIds: text("status_ids", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    createdAt: createdAt(),
  },
  (t) => [index("account_warnings_target_idx").on(t.targetAccountId, t.id)],
);

export type AccountWarning = typeof accountWarnings.$inferSelect;

/**
 * Every moderator action, for the audit log (Mastodon's admin action log): who did what to which target,
 * with a readable summary of the target kept so the entry still says something once the target is gone.
 */
export const moderationLogs = sqliteTable("moderation_logs", {
  id: id(),
  /** The moderator; null for the command line (and once their account is gone). */
  accountId: text("account_id").references(() => accounts.id, { onDelete: "set null" }),
  /** What was done, e.g. "account.silence", "domain_block.create", "report.resolve". */
  action: text("action").notNull(),
  targetType: text("target_type").notNull(),
  targetId: text("target_id").notNull(),
  /** The target as it was named then: "@alice@remote.example", "spam.example", "report 123". */
  targetLabel: text("target_label").notNull(),
  /** The note given with it, if any. */
  text: text("text").notNull().default(""),
  createdAt: createdAt(),
});
