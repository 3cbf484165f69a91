// Atelier's AI provenance terms on received attachments: read from the raw JSON (compact or full IRIs),
// bounded and cleaned before they are stored, and absent for ordinary images.
import { Note } from "@fedify/vocab";
import { describe, expect, it } from "vitest";
import { noteToStatusInput } from "../../federation/mappers/from-ap.ts";
import {
  AI_PROVENANCE_CONTEXT,
  REMOTE_PROMPT_MAX_LENGTH,
} from "../../src/generation/provenance-vocab.ts";

const AI = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

async function attachmentsOf(attachment: Record<string, unknown>[]) {
  const raw = {
    "@context": ["https://www.w3.org/ns/activitystreams", AI_PROVENANCE_CONTEXT],
    id: "https://peer.example/statuses/1",
    type: "Note",
    attributedTo: "https://peer.example/users/ann",
    content: "<p>hi</p>",
    to: ["https://www.w3.org/ns/activitystreams#Public"],
    attachment,
  };
  const note = await Note.fromJsonLd(raw);
  return (await noteToStatusInput(note, raw, null)).attachments;
}

const image = (extra: Record<string, unknown>) => ({
  type: "Document",
  mediaType: "image/webp",
  url: "https://peer.example/media/1.webp",
  ...extra,
});

describe("received AI provenance", () => {
  it("keeps the prompt, model, provider and seed of a remote AI image", async () => {
    const [a] = await attachmentsOf([
      image({
        digitalSourceType: AI,
        aiPrompt: "a harbour in fog",
        aiModel: "gpt-image-1",
        aiProvider: "openai",
        aiSeed: 7,
      }),
    ]);
    expect(a!.provenance).toEqual({
      digitalSourceType: AI,
      prompt: "a harbour in fog",
      model: "gpt-image-1",
      provider: "openai",
      seed: 7,
    });
  });

  it("bounds an oversized prompt, drops control characters and refuses a non-http source type", async () => {
    const [a] = await attachmentsOf([
      image({
        digitalSourceType: "javascript:alert(1)",
        aiPrompt: `\u0000fog${"x".repeat(REMOTE_PROMPT_MAX_LENGTH * 2)}`,
        aiSeed: -3,
      }),
    ]);
    expect(a!.provenance!.prompt).toHaveLength(REMOTE_PROMPT_MAX_LENGTH);
    expect(a!.provenance!.prompt!.startsWith("fog")).toBe(true);
    expect(a!.provenance!.digitalSourceType).toBe(AI);
    expect(a!.provenance).not.toHaveProperty("seed");
  });

  it("stores no provenance for an ordinary image", async () => {
    const [a] = await attachmentsOf([image({ name: "a photo" })]);
    expect(a!.provenance).toBeNull();
  });
});
