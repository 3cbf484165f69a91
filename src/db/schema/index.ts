// Every table, for drizzle-kit and for the typed query builder.
export * from "./accounts.ts";
export * from "./announcements.ts";
export * from "./events.ts";
export * from "./federation.ts";
export * from "./generation.ts";
export * from "./interactions.ts";
export * from "./lists.ts";
export * from "./markers.ts";
export * from "./media.ts";
export * from "./moderation.ts";
export * from "./notifications.ts";
export * from "./oauth.ts";
export * from "./scheduled-statuses.ts";
export * from "./statuses.ts";
export * from "./web-sessions.ts";
