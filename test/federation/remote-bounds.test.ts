// What remote servers send is bounded before it is stored: URLs (emoji icons, avatars, inboxes) are
// http(s) and of a sane length, poll vote counts stay safe integers when added up, text holds nothing
// PostgreSQL refuses.
import { describe, expect, it } from "vitest";
import { httpUrl, pollOf, remoteText } from "../../federation/mappers/from-ap.ts";

describe("remoteText", () => {
  it("drops NUL characters and replaces lone surrogates, keeping everything else", () => {
    expect(remoteText("tea\u0000cups\u0000")).toBe("teacups");
    expect(remoteText("a\ud800b\udfffc")).toBe("a\ufffdb\ufffdc");
    expect(remoteText("🎨 \u00e9\t\n")).toBe("🎨 \u00e9\t\n");
    expect(remoteText(null)).toBe("");
    expect(remoteText(undefined)).toBe("");
  });

  it("cleans poll options too", () => {
    expect(pollOf({ oneOf: [{ name: "ye\u0000s" }, { name: "\u0000" }] })?.options).toEqual([
      { title: "yes", votesCount: 0 },
    ]);
  });
});

describe("httpUrl", () => {
  it("keeps http and https URLs", () => {
    expect(httpUrl("https://misskey.example/emoji/blob.png")).toBe(
      "https://misskey.example/emoji/blob.png",
    );
    expect(httpUrl(new URL("http://127.0.0.1:3000/a"))).toBe("http://127.0.0.1:3000/a");
  });

  it("drops other schemes, unparseable text and absurd lengths", () => {
    expect(httpUrl("javascript:alert(1)")).toBeNull();
    expect(httpUrl("data:image/png;base64,AAAA")).toBeNull();
    expect(httpUrl("not a url")).toBeNull();
    expect(httpUrl(`https://x.example/${"a".repeat(5000)}`)).toBeNull();
    expect(httpUrl(null)).toBeNull();
  });
});

describe("pollOf", () => {
  it("caps vote counts so that twenty options still add up to a safe integer", () => {
    const huge = Number.MAX_SAFE_INTEGER;
    const poll = pollOf({
      oneOf: Array.from({ length: 25 }, (_, i) => ({
        type: "Note",
        name: `option ${i}`,
        replies: { type: "Collection", totalItems: huge },
      })),
      votersCount: huge,
    })!;
    expect(poll.options).toHaveLength(20);
    const total = poll.options.reduce((sum, o) => sum + o.votesCount, 0);
    expect(Number.isSafeInteger(total)).toBe(true);
    expect(poll.votersCount).toBe(1_000_000_000);
  });

  it("reads missing or nonsense counts as none", () => {
    const poll = pollOf({
      anyOf: [
        { name: "yes", replies: { totalItems: -3 } },
        { name: "no", replies: { totalItems: "many" } },
      ],
    })!;
    expect(poll.multiple).toBe(true);
    expect(poll.options.map((o) => o.votesCount)).toEqual([0, 0]);
    expect(poll.votersCount).toBeNull();
  });
});
