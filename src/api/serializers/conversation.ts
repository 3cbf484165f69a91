// Conversations → Mastodon Conversation.
import type { ConversationRow } from "../../db/queries/conversations.ts";
import type { ApiAccount, ApiConversation, ApiStatus } from "../types.ts";

/**
 * `accounts` holds the rendered participants and the viewer; a participant whose account is gone is
 * left out, and a conversation with nobody else shows the viewer, as Mastodon does.
 */
export function toApiConversation(
  row: ConversationRow,
  accounts: ReadonlyMap<string, ApiAccount>,
  lastStatus: ApiStatus | null,
  viewer: string,
): ApiConversation {
  const others = row.conversation.participantIds.flatMap((id) => {
    const account = accounts.get(id);
    return account ? [account] : [];
  });
  const self = accounts.get(viewer);
  return {
    id: row.conversation.id,
    unread: row.conversation.unread,
    accounts: others.length > 0 || self === undefined ? others : [self],
    last_status: lastStatus,
  };
}
