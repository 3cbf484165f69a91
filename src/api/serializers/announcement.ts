// Announcement views (db/queries/announcements.ts) → Mastodon Announcement. The text is the
// administrator's plain text rendered as paragraphs; Atelier announcements carry no mentions, linked
// statuses, hashtags or custom emoji, and their reactions are unicode emoji (no url).
import type { AnnouncementView } from "../../db/queries/announcements.ts";
import { noteToHtml } from "../../domain/profiles.ts";

export interface ApiAnnouncement {
  id: string;
  content: string;
  starts_at: string | null;
  ends_at: string | null;
  all_day: boolean;
  published_at: string;
  updated_at: string;
  read: boolean;
  mentions: never[];
  statuses: never[];
  tags: never[];
  emojis: never[];
  reactions: { name: string; count: number; me: boolean }[];
}

export function toApiAnnouncement(v: AnnouncementView): ApiAnnouncement {
  const a = v.announcement;
  return {
    id: a.id,
    content: noteToHtml(a.text),
    starts_at: a.startsAt?.toISOString() ?? null,
    ends_at: a.endsAt?.toISOString() ?? null,
    all_day: a.allDay,
    published_at: a.publishedAt.toISOString(),
    updated_at: a.updatedAt.toISOString(),
    read: v.read,
    mentions: [],
    statuses: [],
    tags: [],
    emojis: [],
    reactions: v.reactions.map((r) => ({ name: r.name, count: r.count, me: r.me })),
  };
}
