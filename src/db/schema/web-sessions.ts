// Browser sessions of local users. Only a SHA-256 hash of the session token is stored, so a leaked
// database (or backup) does not let anyone sign in; the CSRF token of the session sits beside it.
import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accounts } from "./accounts.ts";
import { createdAt, timestamp } from "./columns.ts";

export const webSessions = sqliteTable(
  "web_sessions",
  {
    /** Hex SHA-256 of the token in the cookie. */
    tokenHash: text("token_hash").primaryKey(),
    accountId: text("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** Synchronizer token every form of this session must carry. */
    csrfToken: text("csrf_token").notNull(),
    userAgent: text("user_agent").notNull().default(""),
    ip: text("ip").notNull().default(""),
    createdAt: createdAt(),
    lastSeenAt: timestamp("last_seen_at").notNull(),
    expiresAt: timestamp("expires_at").notNull(),
  },
  (t) => [index("web_sessions_account_idx").on(t.accountId)],
);

export type WebSession = typeof webSessions.$inferSelect;
