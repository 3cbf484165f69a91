// Relationship rows (db/queries/accounts.ts) → Mastodon Relationship.
import type { RelationshipRow } from "../../db/queries/accounts.ts";
import type { ApiRelationship } from "../types.ts";

export function toApiRelationship(r: RelationshipRow): ApiRelationship {
  return {
    id: r.id,
    following: r.following !== null,
    // Mastodon shows reblogs unless the follower turned them off; absent a follow it answers true.
    showing_reblogs: r.following === null ? false : r.following.showReblogs,
    notifying: r.following?.notify ?? false,
    languages: null,
    followed_by: r.followedBy,
    blocking: r.blocking,
    blocked_by: r.blockedBy,
    muting: r.muting !== null,
    muting_notifications: r.muting?.hideNotifications ?? false,
    requested: r.requested,
    requested_by: r.requestedBy,
    domain_blocking: r.domainBlocking,
    endorsed: r.endorsed,
    note: "",
  };
}
