// The instance's rules: administrators add and remove them (the CLI's `rule` commands and the admin
// page call these); the API, the about page and sign-up read them through listInstanceRules.
import { asc, eq } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import { newId } from "../db/ids.ts";
import { returned } from "../db/returned.ts";
import { type InstanceRule, instanceRules } from "../db/schema/index.ts";

export type { InstanceRule };

import { badRequest } from "../errors.ts";

// Mastodon's limits: a rule's text is short enough to list, its hint a paragraph.
export const RULE_TEXT_MAX_LENGTH = 300;
export const RULE_HINT_MAX_LENGTH = 2000;

/** Every rule, in the order administrators added them (ids are time-sortable). */
export async function listInstanceRules(db: DatabaseLike): Promise<InstanceRule[]> {
  return await db.select().from(instanceRules).orderBy(asc(instanceRules.id));
}

/** Adds a rule at the end of the list; text is required, the hint optional. */
export async function addInstanceRule(
  db: DatabaseLike,
  input: { text: string; hint?: string },
): Promise<InstanceRule> {
  const text = input.text.trim();
  const hint = (input.hint ?? "").trim();
  if (text === "") throw badRequest("A rule needs text");
  if (text.length > RULE_TEXT_MAX_LENGTH) {
    throw badRequest(`The rule is too long: at most ${RULE_TEXT_MAX_LENGTH} characters`);
  }
  if (hint.length > RULE_HINT_MAX_LENGTH) {
    throw badRequest(`The hint is too long: at most ${RULE_HINT_MAX_LENGTH} characters`);
  }
  return returned(await db.insert(instanceRules).values({ id: newId(), text, hint }).returning());
}

/** Removes a rule; false when there was none with that id. */
export async function removeInstanceRule(db: DatabaseLike, id: string): Promise<boolean> {
  const removed = await db
    .delete(instanceRules)
    .where(eq(instanceRules.id, id))
    .returning({ id: instanceRules.id });
  return removed.length > 0;
}
