// Instance rules → Mastodon's Rule entity (id, text, hint), for /api/v1/instance/rules and the instance
// entities' `rules`.
import type { InstanceRule } from "../../db/schema/index.ts";

export interface ApiRule {
  id: string;
  text: string;
  hint: string;
}

export const toApiRule = (rule: InstanceRule): ApiRule => ({
  id: rule.id,
  text: rule.text,
  hint: rule.hint,
});
