// Atelier's `remixOf` on the wire: a local remix's Note names its source next to the FEP-044f quote, both
// alone and inside a Create, and a received Note's remixOf is read from its raw JSON, only as a bounded
// http(s) IRI.
import { Create, Note } from "@fedify/vocab";
import { describe, expect, it } from "vitest";
import { ExtendedCreate, ExtendedNote } from "../../federation/mappers/extensions.ts";
import { noteToStatusInput } from "../../federation/mappers/from-ap.ts";
import {
  REMIX_CONTEXT,
  REMIX_OF,
  REMOTE_IRI_MAX_LENGTH,
} from "../../src/generation/provenance-vocab.ts";

const SOURCE = "https://peer.example/statuses/7";

type Json = Record<string, unknown>;

const remixNote = () =>
  ExtendedNote.withExtras(
    {
      id: new URL("https://atelier.example/statuses/1"),
      attribution: new URL("https://atelier.example/users/bob"),
      content: "<p>my take</p>",
      quote: new URL(SOURCE),
    },
    { remixOf: SOURCE },
  );

async function receivedRemixOf(remixOf: unknown): Promise<string | null | undefined> {
  const raw = {
    "@context": ["https://www.w3.org/ns/activitystreams", REMIX_CONTEXT],
    id: "https://peer.example/statuses/1",
    type: "Note",
    attributedTo: "https://peer.example/users/ann",
    content: "<p>hi</p>",
    to: ["https://www.w3.org/ns/activitystreams#Public"],
    remixOf,
  };
  return (await noteToStatusInput(await Note.fromJsonLd(raw), raw, null)).remixOfIri;
}

describe("remixOf going out", () => {
  it("puts remixOf next to the quote on a remix's Note, defined in its context", async () => {
    const json = (await remixNote().toJsonLd()) as Json;
    expect(json.remixOf).toBe(SOURCE);
    expect(json.quote).toBe(SOURCE);
    expect(JSON.stringify(json["@context"])).toContain('"remixOf":{"@id":"atelier:remixOf"');
  });

  it("keeps remixOf on the Note inside a Create, and a receiver reads it back", async () => {
    const create = new ExtendedCreate({
      id: new URL("https://atelier.example/statuses/1/activity"),
      actor: new URL("https://atelier.example/users/bob"),
      object: remixNote(),
    });
    const json = (await create.toJsonLd()) as Json;
    const object = json.object as Json;
    expect(object.remixOf).toBe(SOURCE);
    // Through JSON-LD proper (what a verifying peer does): the term expands to Atelier's IRI.
    const expanded = (await remixNote().toJsonLd({ format: "expand" })) as Json[];
    expect(expanded[0]![REMIX_OF]).toEqual([{ "@id": SOURCE }]);
    const parsed = await Create.fromJsonLd(json);
    const note = (await parsed.getObject()) as Note;
    expect((await noteToStatusInput(note, object, null)).remixOfIri).toBe(SOURCE);
  });

  it("says nothing of remixes on a Note that is not one", async () => {
    const plain = ExtendedNote.withExtras(
      { id: new URL("https://atelier.example/statuses/2"), quote: new URL(SOURCE) },
      { remixOf: null },
    );
    const json = (await plain.toJsonLd()) as Json;
    expect(json.quote).toBe(SOURCE);
    expect(json).not.toHaveProperty("remixOf");
  });
});

describe("remixOf coming in", () => {
  it("reads a compact, prefixed, full-IRI or node value", async () => {
    expect(await receivedRemixOf(SOURCE)).toBe(SOURCE);
    expect(await receivedRemixOf({ "@id": SOURCE })).toBe(SOURCE);
    expect(await receivedRemixOf([SOURCE])).toBe(SOURCE);
    for (const [term, value] of [
      [REMIX_OF, [{ "@id": SOURCE }]],
      // As Fedify delivers it: compacted with the ActivityStreams context alone, `@id` aliased.
      [REMIX_OF, { id: SOURCE }],
      ["atelier:remixOf", SOURCE],
    ] as const) {
      const raw = {
        "@context": ["https://www.w3.org/ns/activitystreams", { atelier: REMIX_CONTEXT.atelier }],
        id: "https://peer.example/statuses/3",
        type: "Note",
        [term]: value,
      };
      const input = await noteToStatusInput(await Note.fromJsonLd(raw), raw, null);
      expect(input.remixOfIri).toBe(SOURCE);
    }
  });

  it("drops what is not one bounded http(s) IRI", async () => {
    expect(await receivedRemixOf("javascript:alert(1)")).toBeNull();
    expect(await receivedRemixOf("not a url")).toBeNull();
    expect(await receivedRemixOf(42)).toBeNull();
    expect(await receivedRemixOf([SOURCE, "https://peer.example/statuses/8"])).toBeNull();
    expect(await receivedRemixOf(`${SOURCE}/${"x".repeat(REMOTE_IRI_MAX_LENGTH)}`)).toBeNull();
    expect(await receivedRemixOf(undefined)).toBeNull();
  });
});
