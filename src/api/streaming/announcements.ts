// Announcement events on the user stream, as Mastodon sends them: `announcement` (the entity, as that
// user sees it, when created or edited), `announcement.reaction` ({name, count, announcement_id}) and
// `announcement.delete` (the id).
import type { Database } from "../../db/client.ts";
import {
  findAnnouncement,
  isCurrent,
  reactionCount,
  viewAnnouncements,
} from "../../db/queries/announcements.ts";
import { toApiAnnouncement } from "../serializers/announcement.ts";
import type { StreamingHub } from "./hub.ts";

export function announcementStreaming(hub: StreamingHub, db: Database) {
  return {
    async published(announcementId: string): Promise<void> {
      if (hub.size === 0) return;
      const row = await findAnnouncement(db, announcementId);
      if (row === undefined || !isCurrent(row)) return;
      await hub.toUserStreams("announcement", async (viewer) =>
        JSON.stringify(toApiAnnouncement((await viewAnnouncements(db, [row], viewer))[0]!)),
      );
    },
    async reaction(announcementId: string, name: string): Promise<void> {
      if (hub.size === 0) return;
      const payload = JSON.stringify({
        name,
        count: await reactionCount(db, announcementId, name),
        announcement_id: announcementId,
      });
      await hub.toUserStreams("announcement.reaction", () => payload);
    },
    async deleted(announcementId: string): Promise<void> {
      await hub.toUserStreams("announcement.delete", () => announcementId);
    },
  };
}
