// Tag entities for a page of tags: one history query and one "which of these do you follow" query for
// the whole page. `following` is present only for a signed-in viewer, as Mastodon sends it.
import { followedTagNames, tagHistory } from "../db/queries/followed-tags.ts";
import { serializeContext } from "./render.ts";
import { toApiTag } from "./serializers/tag.ts";
import type { ApiDeps, ApiTag } from "./types.ts";

export async function renderTags(
  deps: Pick<ApiDeps, "config" | "db" | "urls">,
  rows: readonly { name: string; displayName: string }[],
  viewerId: string | null,
): Promise<ApiTag[]> {
  const names = rows.map((t) => t.name);
  const history = await tagHistory(deps.db, names);
  const followed = viewerId === null ? null : await followedTagNames(deps.db, viewerId, names);
  const ctx = serializeContext(deps);
  return rows.map((t) =>
    toApiTag(t, ctx, {
      history: history.get(t.name) ?? [],
      ...(followed === null ? {} : { following: followed.has(t.name) }),
    }),
  );
}
