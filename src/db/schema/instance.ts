// The instance's own records, edited by its administrators: the rules members agree to (Mastodon's
// Rule entity, served at /api/v1/instance/rules) and the settings changed at runtime (the registration
// mode), which take precedence over the defaults the environment sets.
import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id, timestamp } from "./columns.ts";

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
