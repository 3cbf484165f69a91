// Guards the corpus tests themselves: every manifest entry is taken by one category, and every
// category's test file iterates its documents (each of those files also checks it handled them all).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CATEGORIES, type Category, categoryOf } from "../helpers/corpus-coverage.ts";
import { manifest } from "../helpers/corpus-servers.ts";

describe("corpus coverage", () => {
  it("puts every manifest entry in a category some test delivers", () => {
    const unhandled = manifest.documents.filter((d) => categoryOf(d) === undefined);
    expect(unhandled.map((d) => d.file)).toEqual([]);
  });

  it.each(Object.entries(CATEGORIES))("%s is delivered by %s", (category, file) => {
    const path = join(import.meta.dirname, file);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, "utf8")).toContain(`docsIn("${category as Category}")`);
  });
});
