import { describe, expect, it } from "vitest";
import { safeReturnTo } from "../../src/web/helpers.ts";

const ORIGIN = "https://atelier.example";

describe("safeReturnTo", () => {
  it("keeps local paths, re-emitted from the parsed URL", () => {
    expect(safeReturnTo("/@bob/123?x=1#c-9", ORIGIN)).toBe("/@bob/123?x=1#c-9");
    expect(safeReturnTo("/home#c-1", ORIGIN)).toBe("/home#c-1");
    expect(safeReturnTo(`${ORIGIN}/notifications`, ORIGIN)).toBe("/notifications");
    expect(safeReturnTo("/a/../settings", ORIGIN)).toBe("/settings");
  });

  it("sends anything that could leave this origin to /home", () => {
    for (const value of [
      undefined,
      "//evil.example",
      "/%09/evil.example",
      "/%0a/evil.example",
      "/%0D/evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/\\evil.example",
      "/%5cevil.example",
      "\\\\evil.example",
      "/.//evil.example",
      "https://evil.example/",
      "http://atelier.example/home",
      "javascript:alert(1)",
      " //evil.example",
      "/\u0000x",
      `/${"a".repeat(3000)}`,
    ]) {
      expect(safeReturnTo(value, ORIGIN), JSON.stringify(value)).toBe("/home");
    }
  });
});
