import { describe, expect, it } from "vitest";
import {
  AI_PROVENANCE_TERMS,
  provenanceFromJsonLd,
  provenanceToJsonLd,
} from "../../src/generation/provenance-vocab.ts";

const AI = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

describe("AI provenance extension", () => {
  it("round-trips an attachment's provenance through its compact JSON-LD terms", () => {
    const provenance = {
      digitalSourceType: AI,
      provider: "openai",
      model: "gpt-image-1",
      prompt: "a fox",
      revisedPrompt: "a red fox",
      seed: 12,
    };
    const json = provenanceToJsonLd(provenance);
    expect(json).toEqual({
      digitalSourceType: AI,
      aiPrompt: "a fox",
      aiRevisedPrompt: "a red fox",
      aiModel: "gpt-image-1",
      aiProvider: "openai",
      aiSeed: 12,
    });
    expect(provenanceFromJsonLd(json)).toEqual(provenance);
  });

  it("reads expanded IRIs, @value wrappers and arrays, as compacted documents from elsewhere carry them", () => {
    const parsed = provenanceFromJsonLd({
      [AI_PROVENANCE_TERMS.aiPrompt]: [{ "@value": "a moonlit lake" }],
      [AI_PROVENANCE_TERMS.digitalSourceType]: { "@id": AI },
      [AI_PROVENANCE_TERMS.aiSeed]: { "@value": "99" },
    });
    expect(parsed).toEqual({ digitalSourceType: AI, prompt: "a moonlit lake", seed: 99 });
  });

  it("bounds and cleans untrusted values, and ignores attachments that say nothing", () => {
    const parsed = provenanceFromJsonLd({
      aiPrompt: `x\u0000${"y".repeat(10_000)}`,
      aiSeed: -4,
      aiModel: 42,
      digitalSourceType: "javascript:alert(1)",
    });
    expect(parsed?.prompt).toHaveLength(4000);
    expect(parsed?.prompt?.includes("\u0000")).toBe(false);
    expect(parsed?.seed).toBeUndefined();
    expect(parsed?.model).toBeUndefined();
    expect(parsed?.digitalSourceType).toBe(AI);
    expect(provenanceFromJsonLd({ type: "Document", name: "a photo" })).toBeUndefined();
  });
});
