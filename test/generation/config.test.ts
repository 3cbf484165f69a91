import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_IMAGE_PRICES } from "../../src/config.ts";
import { priceOf } from "../../src/generation/quota.ts";
import { testConfig } from "../helpers/instance.ts";

describe("generation configuration", () => {
  it("has sensible defaults", () => {
    const config = testConfig();
    expect(config.generation).toMatchObject({
      openaiModel: "gpt-image-1",
      dailyQuota: 50,
      concurrency: 2,
    });
    expect(config.generation.monthlyBudgetUsd).toBeUndefined();
    expect(config.media).toEqual({
      maxUploadBytes: 16 * 1024 * 1024,
      maxPixels: 50_000_000,
      maxAttachments: 4,
      store: "local",
    });
    expect(config.aiHashtag).toBe("AIart");
    expect(priceOf(config.generation.prices, "gpt-image-1", "high", "1024x1536")).toEqual({
      microsPerImage: 250_000,
      priced: true,
    });
    expect(priceOf(config.generation.prices, "local", "auto", "512x512")).toEqual({
      microsPerImage: 0,
      priced: true,
    });
    expect(
      priceOf(config.generation.prices, "someone-elses-model", "auto", "1024x1024").priced,
    ).toBe(false);
  });

  it("merges a valid IMAGE_PRICES over the built-in table, model by model", () => {
    const config = testConfig({ IMAGE_PRICES: '{"my-proxy":{"*":{"*":0.002}}}' });
    expect(priceOf(config.generation.prices, "my-proxy", "high", "1024x1024").microsPerImage).toBe(
      2000,
    );
    expect(config.generation.prices["dall-e-3"]).toEqual(DEFAULT_IMAGE_PRICES["dall-e-3"]);
  });

  it("names each bad variable", () => {
    const bad = (env: Record<string, string>) => {
      try {
        testConfig(env);
      } catch (error) {
        return (error as ConfigError).problems.map((p) => p.variable);
      }
      return [];
    };
    expect(bad({ IMAGE_PRICES: "{not json" })).toEqual(["IMAGE_PRICES"]);
    expect(bad({ IMAGE_PRICES: '{"gpt-image-1":{"high":{"*":-1}}}' })).toEqual(["IMAGE_PRICES"]);
    expect(bad({ AI_HASHTAG: "two words" })).toEqual(["AI_HASHTAG"]);
    expect(bad({ MAX_MEDIA_ATTACHMENTS: "0", GENERATION_DAILY_QUOTA: "-1" }).sort()).toEqual([
      "GENERATION_DAILY_QUOTA",
      "MAX_MEDIA_ATTACHMENTS",
    ]);
    expect(testConfig({ AI_HASHTAG: "#GenArt" }).aiHashtag).toBe("GenArt");
    expect(() => testConfig({ MEDIA_MAX_UPLOAD_MB: "lots" })).toThrow(ConfigError);
  });
});
