// The keyword matcher on its own: Mastodon's whole-word rule (word boundaries only where the keyword
// starts or ends with a word character, Unicode letters counting as word characters), case folding,
// escaping, the searched text (content warning, paragraphs, poll options, image descriptions), boosts
// and picked statuses, contexts, and one's own statuses.
import { describe, expect, it } from "vitest";
import type { FilterWithRules } from "../../src/db/queries/filters.ts";
import type { MediaAttachment, Status } from "../../src/db/queries/rows.ts";
import { compileFilters, matchFilters } from "../../src/domain/filter-matching.ts";

const VIEWER = "1";

function filterOf(
  keywords: [string, boolean][],
  extra: Partial<FilterWithRules["filter"]> = {},
  statusIds: string[] = [],
): FilterWithRules {
  const filter = {
    id: "10",
    accountId: VIEWER,
    title: "F",
    context: ["home"],
    action: "warn",
    expiresAt: null,
    createdAt: new Date(),
    ...extra,
  } as FilterWithRules["filter"];
  return {
    filter,
    keywords: keywords.map(([keyword, wholeWord], i) => ({
      id: `2${i}`,
      filterId: filter.id,
      keyword,
      wholeWord,
    })),
    statuses: statusIds.map((statusId, i) => ({ id: `3${i}`, filterId: filter.id, statusId })),
  };
}

const statusOf = (content: string, extra: Partial<Status> = {}) =>
  ({
    id: "100",
    accountId: "2",
    reblogOfId: null,
    content,
    spoilerText: "",
    poll: null,
    ...extra,
  }) as Status;

function matched(
  keywords: [string, boolean][],
  content: string,
  options: { status?: Partial<Status>; media?: string[] } = {},
): string[] | null {
  const set = compileFilters(VIEWER, "home", [filterOf(keywords)]);
  const status = statusOf(content, options.status);
  const media = (options.media ?? []).map((description) => ({ description }) as MediaAttachment);
  return matchFilters(set, status, status, media)[0]?.keywordMatches ?? null;
}

describe("keyword matching", () => {
  it("matches whole words only when whole_word is on, case-insensitively", () => {
    expect(matched([["cat", true]], "<p>Concatenate</p>")).toBeNull();
    expect(matched([["cat", true]], "<p>A CAT.</p>")).toEqual(["CAT"]);
    expect(matched([["cat", false]], "<p>Concatenate</p>")).toEqual(["cat"]);
  });

  it("treats letters of any script as word characters, as Ruby's [[:word:]]", () => {
    expect(matched([["café", true]], "<p>cafés</p>")).toBeNull();
    expect(matched([["café", true]], "<p>le café!</p>")).toEqual(["café"]);
    expect(matched([["кот", true]], "<p>котик</p>")).toBeNull();
    expect(matched([["кот", true]], "<p>мой кот</p>")).toEqual(["кот"]);
  });

  it("puts no boundary where the keyword starts or ends with a non-word character", () => {
    expect(matched([["#art", true]], "<p>my#artwork</p>")).toBeNull();
    expect(matched([["#art", true]], "<p>x#art y</p>")).toEqual(["#art"]);
    expect(matched([["c++", true]], "<p>I write c++code</p>")).toEqual(["c++"]);
  });

  it("takes keywords literally (no regular-expression syntax)", () => {
    expect(matched([["a.c", false]], "<p>abc</p>")).toBeNull();
    expect(matched([["(x", false]], "<p>f(x)</p>")).toEqual(["(x"]);
  });

  it("searches the content warning, separate paragraphs, poll options and image descriptions", () => {
    expect(matched([["cat", true]], "<p>x</p>", { status: { spoilerText: "cat" } })).toEqual([
      "cat",
    ]);
    expect(matched([["catdog", false]], "<p>cat</p><p>dog</p>")).toBeNull();
    expect(matched([["dog", true]], "<p>cat</p><p>dog</p>")).toEqual(["dog"]);
    expect(matched([["tabby", true]], "<p>x</p>", { media: ["a tabby cat"] })).toEqual(["tabby"]);
    const poll = { options: [{ title: "Tabby", votesCount: 0 }] } as Status["poll"];
    expect(matched([["tabby", true]], "<p>x</p>", { status: { poll } })).toEqual(["Tabby"]);
  });
});

describe("which filters apply", () => {
  it("leaves out filters of other contexts and never filters the viewer's own statuses", () => {
    const rows = [filterOf([["cat", true]], { context: ["public"] })];
    const other = statusOf("<p>cat</p>");
    expect(matchFilters(compileFilters(VIEWER, "home", rows), other, other, [])).toEqual([]);
    const set = compileFilters(VIEWER, "public", rows);
    expect(matchFilters(set, other, other, [])).toHaveLength(1);
    const own = statusOf("<p>cat</p>", { accountId: VIEWER });
    expect(matchFilters(set, own, own, [])).toEqual([]);
  });

  it("matches a boost by its original's text and by either id for picked statuses", () => {
    const original = statusOf("<p>a cat</p>", { id: "100" });
    const boost = statusOf("", { id: "200", reblogOfId: "100", accountId: "3" });
    const keyword = compileFilters(VIEWER, "home", [filterOf([["cat", true]])]);
    expect(matchFilters(keyword, boost, original, [])[0]?.keywordMatches).toEqual(["cat"]);
    const picked = compileFilters(VIEWER, "home", [filterOf([], {}, ["100"])]);
    expect(matchFilters(picked, boost, original, [])[0]).toMatchObject({
      keywordMatches: null,
      statusMatches: ["100"],
    });
  });
});
