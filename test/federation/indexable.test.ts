// A remote actor's toot:indexable (Mastodon 4.2) decides whether its public posts join full-text search
// here; an actor that does not say so is not indexable, as Mastodon reads it.
import { Person } from "@fedify/vocab";
import { describe, expect, it } from "vitest";
import { actorToAccountInput } from "../../federation/mappers/from-ap.ts";

const actor = (extra: Record<string, unknown>) =>
  Person.fromJsonLd({
    "@context": [
      "https://www.w3.org/ns/activitystreams",
      { toot: "http://joinmastodon.org/ns#", indexable: "toot:indexable" },
    ],
    id: "https://remote.example/users/dana",
    type: "Person",
    preferredUsername: "dana",
    inbox: "https://remote.example/users/dana/inbox",
    ...extra,
  });

describe("toot:indexable", () => {
  it("is read from the actor, and false when absent", async () => {
    expect((await actorToAccountInput(await actor({ indexable: true }))).indexable).toBe(true);
    expect((await actorToAccountInput(await actor({ indexable: false }))).indexable).toBe(false);
    expect((await actorToAccountInput(await actor({}))).indexable).toBe(false);
  });
});
