// A member's dataset choice is on their actor (aiDatasetConsent), so followers elsewhere learn of a
// change from the Update(Person) the settings form's save sends: one action saves the profile and the
// choices together, and a bad choice saves neither.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accounts } from "../../src/db/schema/index.ts";
import { AI_DATASET_CONSENT } from "../../src/generation/provenance-vocab.ts";
import { localUser } from "../helpers/factories.ts";
import { type FakeActor, type FakeRemote, startFakeRemote } from "../helpers/fake-remote.ts";
import { type FederatedInstance, startFederatedInstance, waitFor } from "../helpers/federation.ts";
import { PageClient } from "../helpers/web.ts";

let local: FederatedInstance;
let remote: FakeRemote;
let mira: FakeActor;

// biome-ignore lint/suspicious/noExplicitAny: delivered activities are read loosely.
type Json = any;
const updates = (): Json[] => remote.received().filter((j: Json) => j.type === "Update");

beforeAll(async () => {
  [local, remote] = await Promise.all([startFederatedInstance(), startFakeRemote()]);
  mira = await remote.actor("mira");
}, 60_000);
afterAll(async () => {
  await Promise.all([local?.close(), remote?.close()]);
});

describe("dataset consent and followers elsewhere", () => {
  it("sends followers an Update carrying the new choice, and saves nothing when a choice is bad", async () => {
    const { account: alice } = await localUser(local, "alice");
    const res = await remote.deliver(
      local.deps.urls.inbox("alice"),
      {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${mira.id.href}#follows/1`,
        type: "Follow",
        actor: mira.id.href,
        object: alice.iri,
      },
      mira,
    );
    expect(res.status).toBe(202);
    await waitFor("the Accept", () => remote.received().find((j: Json) => j.type === "Accept"));

    const client = new PageClient(local.app);
    await client.signIn("alice");
    const csrf = await client.csrfFrom("/settings");
    const save = (fields: Record<string, string>) =>
      client.post("/settings/profile", { csrf, display_name: "Alice", bio: "", ...fields });
    expect((await save({ ai_data_consent: "1", dataset_license: "cc0" })).status).toBe(303);
    const sent = await waitFor("the Update(Person)", () => updates()[0]);
    expect(sent.object.id).toBe(alice.iri);
    expect(sent.object[AI_DATASET_CONSENT] ?? sent.object.aiDatasetConsent).toBe(true);

    // A bad licence refuses the whole form: the display name is not changed either.
    expect((await save({ display_name: "Mallory", dataset_license: "gpl" })).status).toBe(400);
    const stored = await local.deps.db
      .select({ displayName: accounts.displayName })
      .from(accounts)
      .where(eq(accounts.id, alice.id));
    expect(stored).toEqual([{ displayName: "Alice" }]);

    // Withdrawing sends another Update, now saying no.
    expect((await save({})).status).toBe(303);
    const withdrawn = await waitFor("the second Update", () => updates()[1]);
    expect(withdrawn.object[AI_DATASET_CONSENT] ?? withdrawn.object.aiDatasetConsent).toBe(false);
  });
});
