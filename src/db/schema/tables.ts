// Every SQLite table, for drizzle-kit and for the SQLite database handle (db/client.ts). Code imports the
// tables from ./index.ts, which may stand for the PostgreSQL ones instead.
export * from "./accounts.ts";
export * from "./announcements.ts";
export * from "./conversations.ts";
export * from "./datasets.ts";
export * from "./emojis.ts";
export * from "./events.ts";
export * from "./federation.ts";
export * from "./filters.ts";
export * from "./generation.ts";
export * from "./imports.ts";
export * from "./instance.ts";
export * from "./interactions.ts";
export * from "./lists.ts";
export * from "./markers.ts";
export * from "./media.ts";
export * from "./moderation.ts";
export * from "./notifications.ts";
export * from "./oauth.ts";
export * from "./pins.ts";
export * from "./polls.ts";
export * from "./preview-cards.ts";
export * from "./scheduled-statuses.ts";
export * from "./statuses.ts";
export * from "./tag-follows.ts";
export * from "./trends.ts";
export * from "./web-sessions.ts";
