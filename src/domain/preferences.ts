// A local user's preferences (Mastodon's /api/v1/preferences): the defaults a status gets when it does
// not say (visibility, sensitive media, language) and how clients should show media and content
// warnings. The posting ones are set through update_credentials' `source[…]` and the settings page.
import { eq } from "drizzle-orm";
import type { DatabaseLike } from "../db/client.ts";
import { type User, users } from "../db/schema/index.ts";
import { VISIBILITIES, type Visibility } from "../db/schema/statuses.ts";
import { badRequest } from "../errors.ts";
import { isLocale, LOCALES } from "../i18n/index.ts";

export const EXPAND_MEDIA = ["default", "show_all", "hide_all"] as const;
export type ExpandMedia = (typeof EXPAND_MEDIA)[number];

export interface Preferences {
  defaultVisibility: Visibility;
  defaultSensitive: boolean;
  defaultLanguage: string | null;
  expandMedia: ExpandMedia;
  expandSpoilers: boolean;
}

const DEFAULTS: Preferences = {
  defaultVisibility: "public",
  defaultSensitive: false,
  defaultLanguage: null,
  expandMedia: "default",
  expandSpoilers: false,
};

/** The preferences of a local user (the defaults for an account without a user row). */
export async function preferencesOf(db: DatabaseLike, accountId: string): Promise<Preferences> {
  const user = (
    await db
      .select({
        defaultVisibility: users.defaultVisibility,
        defaultSensitive: users.defaultSensitive,
        defaultLanguage: users.defaultLanguage,
        expandMedia: users.expandMedia,
        expandSpoilers: users.expandSpoilers,
      })
      .from(users)
      .where(eq(users.accountId, accountId))
      .limit(1)
  )[0];
  return user ?? DEFAULTS;
}

/**
 * Checks preference changes without storing them: a visibility Mastodon knows, an ISO 639 language code
 * (or null / "" for none), one of the media modes. Returns them normalized.
 */
export function checkPreferences(changes: Partial<Preferences>): Partial<Preferences> {
  const set: Partial<Preferences> = { ...changes };
  if (set.defaultVisibility !== undefined && !VISIBILITIES.includes(set.defaultVisibility)) {
    throw badRequest(`Visibility must be one of ${VISIBILITIES.join(", ")}`);
  }
  if (set.defaultLanguage !== undefined) {
    const language = (set.defaultLanguage ?? "").trim().toLowerCase();
    if (language !== "" && !/^[a-z]{2,3}$/.test(language)) {
      throw badRequest("The language must be an ISO 639 code such as en");
    }
    set.defaultLanguage = language === "" ? null : language;
  }
  if (set.expandMedia !== undefined && !EXPAND_MEDIA.includes(set.expandMedia)) {
    throw badRequest(`Media display must be one of ${EXPAND_MEDIA.join(", ")}`);
  }
  return set;
}

/** Changes the given preferences after checking them (checkPreferences). */
export async function updatePreferences(
  db: DatabaseLike,
  accountId: string,
  changes: Partial<Preferences>,
): Promise<User | undefined> {
  const set = checkPreferences(changes);
  if (Object.keys(set).length === 0) {
    return (await db.select().from(users).where(eq(users.accountId, accountId)).limit(1))[0];
  }
  return (await db.update(users).set(set).where(eq(users.accountId, accountId)).returning())[0];
}

/**
 * Sets the interface language (Mastodon's `locale` setting): one the pages speak, or null to follow the
 * browser's Accept-Language.
 */
export async function setInterfaceLocale(
  db: DatabaseLike,
  accountId: string,
  locale: string | null,
): Promise<void> {
  const chosen = locale === null || locale === "" ? null : locale;
  if (chosen !== null && !isLocale(chosen)) {
    throw badRequest(`The interface language must be one of ${LOCALES.join(", ")}`);
  }
  await db.update(users).set({ locale: chosen }).where(eq(users.accountId, accountId));
}
