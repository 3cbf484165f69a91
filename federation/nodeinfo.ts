// NodeInfo 2.1: what software this is and how much it is used (users, active users, local posts).
import type { Federation } from "@fedify/fedify";
import { and, count, gte, isNull, or, sql } from "drizzle-orm";
import { sqlTrue } from "../src/db/dialect.ts";
import { accounts, statuses, users } from "../src/db/schema/index.ts";
import { registrationMode, signUpOpen } from "../src/domain/registrations.ts";
import { SOFTWARE_NAME, SOFTWARE_REPOSITORY, SOFTWARE_VERSION } from "../src/version.ts";
import type { FederationDeps } from "./context.ts";

const DAY = 24 * 60 * 60 * 1000;

export function registerNodeInfo(federation: Federation<FederationDeps>): void {
  federation.setNodeInfoDispatcher("/nodeinfo/2.1", async (ctx) => {
    const { db, config } = ctx.data;
    const activeSince = async (days: number) => {
      const since = new Date(Date.now() - days * DAY);
      return (
        (
          await db
            .select({ n: count() })
            .from(users)
            .innerJoin(accounts, sql`${accounts.id} = ${users.accountId}`)
            .where(or(gte(users.lastSignInAt, since), gte(accounts.lastStatusAt, since)))
            .limit(1)
        )[0]?.n ?? 0
      );
    };
    const total = (await db.select({ n: count() }).from(users).limit(1))[0]?.n ?? 0;
    const localPosts =
      (
        await db
          .select({ n: count() })
          .from(statuses)
          .where(and(sql`${statuses.local} = ${sqlTrue()}`, isNull(statuses.reblogOfId)))
          .limit(1)
      )[0]?.n ?? 0;
    return {
      software: {
        name: SOFTWARE_NAME,
        version: SOFTWARE_VERSION,
        repository: new URL(SOFTWARE_REPOSITORY),
        homepage: new URL(config.origin),
      },
      protocols: ["activitypub"],
      // As Mastodon: true when anyone may sign up without an invite, approval or not.
      openRegistrations: signUpOpen(await registrationMode(db, config.registrations)),
      usage: {
        users: {
          total,
          activeMonth: await activeSince(30),
          activeHalfyear: await activeSince(180),
        },
        localPosts,
        localComments: 0,
      },
      metadata: { nodeName: config.instanceName },
    };
  });
}
