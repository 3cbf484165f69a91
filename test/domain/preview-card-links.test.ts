// Which link of a status's content gets a card, and what a page's HTML says about itself: the pure
// halves of preview cards (domain/preview-cards/links.ts and parse.ts), on hand-written HTML.
import { describe, expect, it } from "vitest";
import { sanitizeEmbedHtml } from "../../src/domain/html-sanitizer.ts";
import { cardLinkOf } from "../../src/domain/preview-cards/links.ts";
import { boundText, parseOembed, parsePage } from "../../src/domain/preview-cards/parse.ts";

const options = { localHost: "atelier.example", mediaUrls: ["https://files.example/a"] };

describe("the link a status previews", () => {
  it("skips mentions, hashtags, the remix quote, links here, media and non-http links", () => {
    const content = [
      '<p class="quote-inline">Remix of <a href="https://other.example/@x/1">other.example/@x/1</a></p>',
      '<p><span class="h-card"><a href="https://other.example/@bob" class="u-url mention">@bob</a></span>',
      '<a href="https://other.example/tags/sea" rel="tag">#sea</a>',
      '<a href="https://atelier.example/@alice/2">mine</a>',
      '<a href="https://files.example/a">attachment</a>',
      '<a href="https://cdn.example/picture.JPG">picture</a>',
      '<a href="mailto:someone@example.com">mail</a>',
      '<a href="https://news.example/story#part">the story</a>',
      '<a href="https://news.example/second">second</a></p>',
    ].join("");
    expect(cardLinkOf(content, options)).toBe("https://news.example/story");
  });

  it("finds none in text without links, or when every link is skipped", () => {
    expect(cardLinkOf("<p>Only words</p>", options)).toBeUndefined();
    expect(
      cardLinkOf(
        '<p><a href="javascript:alert(1)">x</a> <a href="https://u:p@news.example/">y</a></p>',
        options,
      ),
    ).toBeUndefined();
  });
});

describe("a page's card fields", () => {
  it("prefers OpenGraph, decodes entities, resolves relative URLs and bounds the texts", () => {
    const meta = parsePage(
      `<html lang="de"><head><title>T &amp; more</title>
<meta name="description" content="${"word ".repeat(400)}">
<meta property="og:image" content="/i.png"><meta property="og:image" content="/second.png">
<link rel="alternate" type="application/json+oembed" href="/oembed?u=1">
</head></html>`,
      "https://news.example/a/b",
    );
    expect(meta.title).toBe("T & more");
    expect([...meta.description].length).toBe(1000);
    expect(meta.imageUrl).toBe("https://news.example/i.png");
    expect(meta.oembedUrl).toBe("https://news.example/oembed?u=1");
    expect(meta.language).toBe("de");
    expect(boundText("  a \n\t b  ", 10)).toBe("a b");
    expect(boundText("abcdef", 4)).toBe("abc…");
  });

  it("drops image URLs that are not http(s)", () => {
    const meta = parsePage(
      '<meta property="og:image" content="javascript:alert(1)"><meta name="twitter:image" content="data:image/png;base64,AAAA">',
      "https://news.example/",
    );
    expect(meta.imageUrl).toBeUndefined();
  });

  it("reads an oEmbed answer and refuses what is not one", () => {
    expect(parseOembed({ title: "no type" }, "https://p.example/")).toBeUndefined();
    expect(
      parseOembed(
        { type: "photo", url: "/full.jpg", width: "800", height: 600, author_url: "javascript:x" },
        "https://p.example/",
      ),
    ).toMatchObject({
      type: "photo",
      photoUrl: "https://p.example/full.jpg",
      width: 800,
      height: 600,
      authorUrl: "",
    });
  });

  it("keeps one https iframe of embed markup and nothing else", () => {
    expect(
      sanitizeEmbedHtml(
        '<div><iframe src="https://v.example/e/1" width="1" srcdoc="x" style="a"></iframe></div>',
      ),
    ).toBe('<iframe src="https://v.example/e/1" width="1"></iframe>');
    expect(sanitizeEmbedHtml('<iframe src="http://v.example/e/1"></iframe>')).toBe("");
    expect(
      sanitizeEmbedHtml(
        '<iframe src="https://a.example/"></iframe><iframe src="https://b.example/"></iframe>',
      ),
    ).toBe("");
    expect(sanitizeEmbedHtml("<blockquote>text</blockquote><script>x()</script>")).toBe("");
  });
});
