import { afterEach, describe, expect, it } from "vitest";
import { closeStore } from "../../src/db/dialect.ts";
import { newId } from "../../src/db/ids.ts";
import { accounts } from "../../src/db/schema/index.ts";
import { localUrls } from "../../src/domain/local-urls.ts";
import { renderStatusText } from "../../src/domain/status-text.ts";
import { openTestStore } from "../helpers/store.ts";

const urls = localUrls("https://atelier.example");
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function db() {
  const d = await openTestStore();
  cleanups.push(() => closeStore(d));
  await d.insert(accounts).values({
    id: newId(),
    username: "alice",
    domain: null,
    iri: urls.actor("alice"),
    url: urls.profile("alice"),
  });
  await d.insert(accounts).values({
    id: newId(),
    username: "bob",
    domain: "mastodon.example",
    iri: "https://mastodon.example/users/bob",
    url: "https://mastodon.example/@bob",
  });
  return d;
}

const render = async (text: string) =>
  await renderStatusText(await db(), urls, "atelier.example", text);

describe("status text", () => {
  it("escapes everything the author typed", async () => {
    const { html } = await render(`<script>alert("x")</script> & <b>bold</b>`);
    expect(html).toBe(
      "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;</p>",
    );
  });

  it("makes paragraphs from blank lines and <br> from single newlines", async () => {
    expect((await render("one\ntwo\n\nthree")).html).toBe("<p>one<br>two</p><p>three</p>");
  });

  it("links hashtags to the tag page and collects them once, case-insensitively", async () => {
    const { html, tags } = await render("Dawn #Landscape #landscape #café #123 x#not");
    expect(tags).toEqual([
      { name: "landscape", displayName: "Landscape" },
      { name: "café", displayName: "café" },
    ]);
    expect(html).toContain(
      '<a href="https://atelier.example/tags/landscape" class="mention hashtag" rel="tag">#<span>Landscape</span></a>',
    );
    expect(html).toContain("#123");
    expect(html).toContain("x#not");
  });

  it("links URLs without swallowing closing punctuation or hashtags in fragments", async () => {
    const { html, tags } = await render("See https://example.org/page#section.");
    expect(tags).toEqual([]);
    expect(html).toContain(
      '<a href="https://example.org/page#section" rel="nofollow noopener noreferrer" target="_blank">example.org/page#section</a>.',
    );
  });

  it("links mentions of known accounts, local and remote, and leaves unknown ones as text", async () => {
    const { html, mentions } = await render(
      "hi @alice and @bob@mastodon.example and @carol@elsewhere.example and @alice@atelier.example",
    );
    expect(mentions.map((m) => m.username)).toEqual(["alice", "bob"]);
    expect(html).toContain(
      '<span class="h-card" translate="no"><a href="https://atelier.example/@alice" class="u-url mention">@<span>alice</span></a></span>',
    );
    expect(html).toContain(
      '<a href="https://mastodon.example/@bob" class="u-url mention">@<span>bob</span></a>',
    );
    expect(html).toContain("@carol@elsewhere.example");
  });

  it("matches a mention's host case-insensitively and leaves suspended accounts unlinked", async () => {
    const d = await db();
    expect(
      (await renderStatusText(d, urls, "atelier.example", "@Bob@Mastodon.EXAMPLE")).mentions.map(
        (m) => m.username,
      ),
    ).toEqual(["bob"]);
    await d.update(accounts).set({ suspendedAt: new Date() });
    const { html, mentions } = await renderStatusText(
      d,
      urls,
      "atelier.example",
      "@alice @bob@mastodon.example",
    );
    expect(mentions).toEqual([]);
    expect(html).toBe("<p>@alice @bob@mastodon.example</p>");
  });

  it("reads a host with a port, and never takes an unknown host's handle for a local mention", async () => {
    const d = await db();
    await d.insert(accounts).values({
      id: newId(),
      username: "alice",
      domain: "127.0.0.1:3102",
      iri: "http://127.0.0.1:3102/users/alice",
      url: "http://127.0.0.1:3102/@alice",
    });
    const { html, mentions } = await renderStatusText(
      d,
      urls,
      "atelier.example",
      "@alice@127.0.0.1:3102, @alice@127.0.0.1:3103 and @alice@not_a.host",
    );
    expect(mentions.map((m) => m.domain)).toEqual(["127.0.0.1:3102"]);
    expect(html).toContain('<a href="http://127.0.0.1:3102/@alice" class="u-url mention">');
    expect(html).toContain(", @alice@127.0.0.1:3103 and @alice@not_a.host</p>");
  });
});
