// Which test delivers which corpus document. Every manifest entry falls in exactly one category, and
// each category belongs to one test file that iterates it; corpus-coverage.test.ts fails on a document
// no rule takes (a new corpus entry nobody handled) and on a category no file iterates.
import { type CorpusDoc, manifest } from "./corpus-servers.ts";

export const CATEGORIES = {
  /** Actors, fetched through the search API and checked as accounts. */
  actors: "corpus-actors.test.ts",
  /** Public and unlisted posts that stand alone. */
  posts: "corpus-inbox.test.ts",
  /** Posts that concern the local user: followers-only, direct, replies, quotes. */
  addressed: "corpus-addressed.test.ts",
  /** Follows and their answers, likes, reactions, boosts, blocks, reports and their undos. */
  interactions: "corpus-interactions.test.ts",
  /** What happens to posts and actors later: edits, deletes, moves, polls, group relays. */
  lifecycle: "corpus-lifecycle.test.ts",
  /** Hostile, spoofed and malformed documents, and unknown types. */
  hostile: "corpus-hostile.test.ts",
} as const;

export type Category = keyof typeof CATEGORIES;

const INTERACTIONS = new Set(["Follow", "Accept", "Reject", "Like", "EmojiReact", "Block", "Flag"]);

/** The category a document belongs to, or undefined when no rule covers it. */
export function categoryOf(d: CorpusDoc & { type?: string }): Category | undefined {
  const folder = d.file.split("/")[0]!;
  if (d.kind === "actor") return "actors";
  if (["hostile", "spoofed", "malformed"].includes(folder)) return "hostile";
  if (d.expect.accepted === true && d.expect.effect === "ignored") return "hostile";
  const status = d.expect.status;
  if (d.type !== undefined && INTERACTIONS.has(d.type)) return "interactions";
  if (d.type === "Undo" || (d.type === "Announce" && d.expect.effect === "reblog")) {
    return "interactions";
  }
  if (d.type === "Update" || d.type === "Delete" || d.type === "Move") return "lifecycle";
  if (status?.poll !== undefined || status?.group !== undefined) return "lifecycle";
  if (status !== undefined) {
    const addressed =
      ["private", "direct"].includes(status.visibility) ||
      (status.in_reply_to ?? null) !== null ||
      status.quote !== undefined ||
      (status.mentions ?? []).length > 0;
    if (addressed) return "addressed";
    if ((d.after ?? []).length === 0) return "posts";
  }
  return undefined;
}

/** The manifest's documents of one category, in manifest order. */
export function docsIn(category: Category): CorpusDoc[] {
  return manifest.documents.filter((d) => categoryOf(d) === category);
}
