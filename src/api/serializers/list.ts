// Lists → Mastodon List.
import type { List } from "../../db/schema/index.ts";
import type { ApiList } from "../types.ts";

export function toApiList(list: List): ApiList {
  return {
    id: list.id,
    title: list.title,
    replies_policy: list.repliesPolicy,
    exclusive: list.exclusive,
  };
}
