// Queries prepared once per database are shared by every handle of it, transactions included: drizzle
// makes a new handle per transaction, and a cache keyed on the handle prepared again in each one.
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { closeDatabase, openDatabase } from "../../src/db/client.ts";
import { preparedPerHandle } from "../../src/db/prepared.ts";
import { statuses } from "../../src/db/schema/index.ts";

describe("preparedPerHandle", () => {
  it("prepares once for the database and all its transactions, and once per database", async () => {
    let built = 0;
    const byIri = preparedPerHandle((db) => {
      built++;
      return db
        .select()
        .from(statuses)
        .where(eq(statuses.iri, sql.placeholder("iri")))
        .prepare();
    });
    const one = openDatabase(":memory:");
    const two = openDatabase(":memory:");
    try {
      expect(await byIri(one).all({ iri: "x" })).toEqual([]);
      await one.transaction(async (tx) => expect(await byIri(tx).all({ iri: "x" })).toEqual([]));
      await one.transaction(async (tx) => await byIri(tx).all({ iri: "y" }));
      expect(built).toBe(1);
      await byIri(two).all({ iri: "x" });
      expect(built).toBe(2);
    } finally {
      closeDatabase(one);
      closeDatabase(two);
    }
  });
});
