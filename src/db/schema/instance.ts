// The instance's own records, edited by its administrators: the rules members agree to (Mastodon's
// Rule entity, served at /api/v1/instance/rules), the settings changed at runtime (the registration
// mode), which take precedence over the defaults the environment sets, and invite links.
import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { counter, createdAt, id, timestamp } from "./columns.ts";

/** The instance's rules, shown at sign-up and on the about page, in the order they were added. */
export const instanceRules = sqliteTable("instance_rules", {
  id: id(),
  /** The rule in a short sentence ("No hate speech"). */
  text: text("text").notNull(),
  /** A longer explanation, or "". */
  hint: text("hint").notNull().default(""),
  createdAt: createdAt(),
});

export type InstanceRule = typeof instanceRules.$inferSelect;

/**
 * Settings an administrator changed on the admin page, one row per name, the value as JSON text. A name
 * with no row keeps the default from the configuration.
 */
export const instanceSettings = sqliteTable("instance_settings", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  updatedAt: timestamp("updated_at").notNull(),
});

/**
 * Invite links an administrator made (`invite create`): each lets people sign up while registrations
 * are invite-only (or skip approval), up to `maxUses` times (null: no limit) until `expiresAt` (null:
 * never).
 */
export const invites = sqliteTable(
  "invites",
  {
    id: id(),
    /** The secret in the link (/invite/CODE); shared by design, so kept as it is. */
    code: text("code").notNull(),
    maxUses: integer("max_uses"),
    uses: counter("uses"),
    expiresAt: timestamp("expires_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("invites_code_unique").on(t.code)],
);

export type Invite = typeof invites.$inferSelect;
