// The configuration of alt text drafting and output moderation: OPENAI_VISION_MODEL,
// GENERATION_OUTPUT_POLICY and GENERATION_OUTPUT_HOOK.
import { describe, expect, it } from "vitest";
import type { ConfigError } from "../../src/config.ts";
import { createImageProvider } from "../../src/deps.ts";
import { testConfig } from "../helpers/instance.ts";

describe("output moderation and vision configuration", () => {
  it("blocks flagged images by default, with no hook and no vision model", () => {
    const config = testConfig();
    expect(config.generation.outputPolicy).toBe("block");
    expect(config.generation.outputHook).toBeUndefined();
    expect(config.generation.openaiVisionModel).toBeUndefined();
  });

  it("reads the policy, resolves the hook's path, and gives the OpenAI provider its vision model", () => {
    const config = testConfig({
      GENERATION_OUTPUT_POLICY: "sensitive",
      GENERATION_OUTPUT_HOOK: "hooks/check-image",
      IMAGE_PROVIDER: "openai",
      OPENAI_API_KEY: "sk-x",
      OPENAI_VISION_MODEL: "gpt-4o-mini",
    });
    expect(config.generation.outputPolicy).toBe("sensitive");
    expect(config.generation.outputHook).toBe(`${process.cwd()}/hooks/check-image`);
    expect(createImageProvider(config).describe).toBeTypeOf("function");
    const without = testConfig({ IMAGE_PROVIDER: "openai", OPENAI_API_KEY: "sk-x" });
    expect(createImageProvider(without).describe).toBeUndefined();
  });

  it("names a policy that is neither block nor sensitive", () => {
    let problems: string[] = [];
    try {
      testConfig({ GENERATION_OUTPUT_POLICY: "allow" });
    } catch (error) {
      problems = (error as ConfigError).problems.map((p) => p.variable);
    }
    expect(problems).toEqual(["GENERATION_OUTPUT_POLICY"]);
  });
});
