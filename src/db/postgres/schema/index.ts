// Every PostgreSQL table, for drizzle-kit and the typed query builder: the tables of src/db/schema with
// the same names, columns and row types (test/db/schema-parity.* hold the two to that). Fedify's
// fedify_kv and fedify_queue are not here: on PostgreSQL, Fedify's KvStore and MessageQueue keep their
// own tables.
export * from "./accounts.ts";
export * from "./announcements.ts";
export * from "./conversations.ts";
export * from "./events.ts";
export * from "./filters.ts";
export * from "./generation.ts";
export * from "./interactions.ts";
export * from "./lists.ts";
export * from "./markers.ts";
export * from "./media.ts";
export * from "./moderation.ts";
export * from "./notifications.ts";
export * from "./oauth.ts";
export * from "./pins.ts";
export * from "./polls.ts";
export * from "./scheduled-statuses.ts";
export * from "./statuses.ts";
export * from "./tag-follows.ts";
export * from "./web-sessions.ts";
