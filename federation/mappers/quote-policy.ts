// FEP-044f / GoToSocial interaction policies ⇄ Atelier's quote policy: the canQuote rule of a received
// object read as public / followers / nobody, and ours written the way Mastodon 4.5 writes it.
import { type InteractionPolicy, InteractionRule } from "@fedify/vocab";
import type { QuotePolicy } from "../../src/db/schema/index.ts";

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";
const PUBLIC_ALIASES = new Set([PUBLIC, "as:Public", "Public"]);

/**
 * Who may quote a received object without asking, from its canQuote: anyone when the public
 * collection is approved automatically, the author's followers when their collection is, nobody else
 * (a rule that names only some actors, or asks for manual approval, lets no-one quote at once). Null
 * when the object has no canQuote (Mastodon then treats it as not quotable by others).
 */
export function quotePolicyFromAp(
  policy: InteractionPolicy | null,
  followersUrl: string | null,
): QuotePolicy | null {
  const rule = policy?.canQuote;
  if (rule == null) return null;
  const automatic = rule.automaticApprovals.map((u) => u.href);
  if (automatic.some((iri) => PUBLIC_ALIASES.has(iri))) return "public";
  if (followersUrl !== null && automatic.includes(followersUrl)) return "followers";
  return "nobody";
}

/** The canQuote rule of one of our statuses (Mastodon 4.5: the author is always allowed). */
export function quotePolicyToAp(
  policy: QuotePolicy,
  authorIri: URL,
  followersUrl: URL,
): InteractionRule {
  const approved =
    policy === "public" ? [new URL(PUBLIC)] : policy === "followers" ? [followersUrl] : [];
  return new InteractionRule({ automaticApprovals: [authorIri, ...approved] });
}
