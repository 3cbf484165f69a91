import { describe, expect, it } from "vitest";
import { htmlToText, sanitizeRemoteHtml } from "../../src/domain/html-sanitizer.ts";

describe("remote HTML sanitizer", () => {
  it("keeps Mastodon's allowlist: paragraphs, links, mentions and hashtags", () => {
    const html =
      '<p>Hi <span class="h-card"><a href="https://m.example/@a" class="u-url mention">@<span>a</span></a></span> <a href="https://m.example/tags/art" class="mention hashtag" rel="tag">#art</a><br>next</p>';
    const clean = sanitizeRemoteHtml(html);
    expect(clean).toContain('<span class="h-card">');
    expect(clean).toContain('class="u-url mention"');
    expect(clean).toContain('href="https://m.example/tags/art"');
    expect(clean).toContain("<br />");
  });

  it("drops scripts, event handlers, styles, iframes and dangerous URL schemes", () => {
    const html = `<p onclick="steal()" style="color:red">x<script>alert(1)</script>
      <a href="javascript:alert(1)">j</a><a href="JaVaScRiPt&#58;alert(1)">k</a>
      <a href="data:text/html,<script>1</script>">d</a><img src=x onerror=alert(1)>
      <iframe src="https://evil.example"></iframe><svg onload=alert(1)></svg>
      <a href="https://ok.example/" onmouseover="x()" class="evil">ok</a></p>`;
    const clean = sanitizeRemoteHtml(html);
    expect(clean).not.toMatch(
      /<script|onclick|onerror|onload|onmouseover|style=|javascript:|data:|<iframe|<img|<svg/i,
    );
    expect(clean).toContain('href="https://ok.example/"');
    expect(clean).not.toContain("evil");
    expect(clean).toContain('rel="nofollow noopener noreferrer"');
  });

  it("turns HTML into plain text for names", () => {
    expect(htmlToText("<b>Mira</b> &amp; <script>x</script>co")).toBe("Mira & co");
  });
});
