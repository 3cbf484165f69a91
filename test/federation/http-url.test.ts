// Remote URLs we store (emoji icons, avatars, inboxes) are http(s) and of a sane length.
import { describe, expect, it } from "vitest";
import { httpUrl } from "../../federation/mappers/from-ap.ts";

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
