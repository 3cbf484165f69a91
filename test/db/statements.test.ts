import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { closeDatabase, openDatabase } from "../../src/db/client.ts";
import { newId } from "../../src/db/ids.ts";
import { accounts } from "../../src/db/schema/index.ts";

// Regression: on Node 24, better-sqlite3 aborted the whole process when the garbage collector finalized a
// Statement at a microtask checkpoint (see reusePreparedStatements in src/db/client.ts). Thousands of
// queries with awaits in between, as an API under load makes, must not take the process down.
it("keeps a busy connection alive through garbage collection of prepared statements", async () => {
  const db = openDatabase(":memory:");
  try {
    let found = 0;
    for (let i = 0; i < 3000; i++) {
      const id = newId();
      await db.insert(accounts).values({
        id,
        username: `u${i}`,
        domain: "remote.example",
        iri: `https://remote.example/u/${i}`,
      });
      if ((await db.select().from(accounts).where(eq(accounts.id, id)).limit(1))[0] !== undefined)
        found++;
      // Allocation and a microtask checkpoint, where the collector used to finalize statements.
      await Promise.resolve(new Array(2000).fill(i));
    }
    expect(found).toBe(3000);
  } finally {
    closeDatabase(db);
  }
});
