// The actor says whether its owner allows their work in this server's datasets: Atelier's
// aiDatasetConsent term on the Person document, which follows the choice at once (through the actor cache).
import { Person, Update } from "@fedify/vocab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExtendedPerson } from "../../federation/mappers/extensions.ts";
import type { Account } from "../../src/db/schema/index.ts";
import { createLocalUser } from "../../src/domain/accounts.ts";
import { AI_DATASET_CONSENT } from "../../src/generation/provenance-vocab.ts";
import { setConsent } from "../helpers/consent.ts";
import { createTestInstance, type TestInstance } from "../helpers/instance.ts";

const ORIGIN = "https://atelier.example";
let instance: TestInstance;
let dana: Account;

beforeAll(async () => {
  instance = await createTestInstance({ ORIGIN });
  dana = (
    await createLocalUser(instance.deps.db, instance.deps.urls, {
      username: "dana",
      password: "dana-password",
    })
  ).account;
});
afterAll(() => instance?.close());

async function actorDocument() {
  const res = await instance.app.request(`${ORIGIN}/users/dana`, {
    headers: { accept: "application/activity+json" },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown> & { "@context": unknown[] };
}

describe("aiDatasetConsent on the Person document", () => {
  it("is false until the user consents, defined in the document's context, and follows the choice", async () => {
    const before = await actorDocument();
    expect(before.type).toBe("Person");
    expect(before.aiDatasetConsent).toBe(false);
    expect(before["@context"]).toContainEqual({
      atelier: "https://atelier.social/ns#",
      aiDatasetConsent: "atelier:aiDatasetConsent",
    });
    // Fedify's own terms are all still there.
    expect(before.preferredUsername).toBe("dana");
    expect(before.inbox).toBe(`${ORIGIN}/users/dana/inbox`);

    await setConsent(instance.deps.db, dana.id, true);
    expect((await actorDocument()).aiDatasetConsent).toBe(true);
    await setConsent(instance.deps.db, dana.id, false);
    expect((await actorDocument()).aiDatasetConsent).toBe(false);
  });

  it("expands to Atelier's IRI, so a JSON-LD reader finds it whatever the context", async () => {
    const person = ExtendedPerson.withExtras(
      { id: new URL(`${ORIGIN}/users/erin`), preferredUsername: "erin" },
      { aiDatasetConsent: true },
    );
    const expanded = (await person.toJsonLd({ format: "expand" })) as Record<string, unknown>[];
    expect(expanded[0]![AI_DATASET_CONSENT]).toEqual([{ "@value": true }]);
    // Embedded in the Update(Person) a profile change sends, the actor keeps it: Fedify compacts the
    // activity with its own context, which does not name the term, so it travels under its full IRI.
    const update = new Update({
      id: new URL(`${ORIGIN}/users/erin#updates/1`),
      actor: new URL(`${ORIGIN}/users/erin`),
      object: person,
    });
    const sent = (await update.toJsonLd()) as { object: Record<string, unknown> };
    expect(sent.object[AI_DATASET_CONSENT]).toBe(true);
    // Read back as a plain Person, the rest of the actor is intact.
    const parsed = await Person.fromJsonLd(await person.toJsonLd());
    expect(parsed.preferredUsername).toBe("erin");
  });
});
