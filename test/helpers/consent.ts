// A user's dataset consent as the settings store it (users.ai_data_consent), written directly: the
// tests of the crawler and TDM controls need the stored choice, not the door it came through, so they
// keep working whichever domain function records consent (and its history).
import { eq } from "drizzle-orm";
import type { DatabaseLike } from "../../src/db/client.ts";
import { users } from "../../src/db/schema/index.ts";

export async function setConsent(
  db: DatabaseLike,
  accountId: string,
  consent: boolean,
): Promise<void> {
  await db.update(users).set({ aiDataConsent: consent }).where(eq(users.accountId, accountId));
}
