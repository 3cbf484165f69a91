// Remote images through the real inbox with measuring on (as in production): attachments the sender
// described without a size or blurhash get them from the file their server serves (media/ in the
// corpus), in the background, and the client API then shows meta.original and the blurhash; what the
// sender did describe is kept. A missing file leaves its attachment as sent.
import { isBlurhashValid } from "blurhash";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docsIn } from "../helpers/corpus-coverage.ts";
import {
  type CorpusHarness,
  deliverAndShow,
  readCorpus,
  startCorpusHarness,
} from "../helpers/corpus-harness.ts";
import { type Loose, manifest } from "../helpers/corpus-servers.ts";
import { waitFor } from "../helpers/federation.ts";

let h: CorpusHarness;
beforeAll(async () => {
  h = await startCorpusHarness();
}, 60_000);
afterAll(() => h?.close());

const BASE83 =
  "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";
/** A blurhash's average colour (its DC component, characters 2–5 in base 83), as [r, g, b]. */
const averageColour = (hash: string) => {
  const v = [...hash.slice(2, 6)].reduce((n, c) => n * 83 + BASE83.indexOf(c), 0);
  return [v >> 16, (v >> 8) & 255, v & 255];
};

// The standalone posts whose images are served by their corpus server.
const withServedMedia = docsIn("posts").filter((d) =>
  (d.expect.status.media ?? []).some((m: Loose) => manifest.media[m.remote_url] !== undefined),
);

describe("remote images measured from their files", () => {
  it.each(withServedMedia.map((d) => [d.file, d] as const))("%s", async (file, d) => {
    const shown = await deliverAndShow(h, d);
    const raw = readCorpus(file);
    const got = await waitFor(`${file}: every served image measured`, async () => {
      const s = (await h.api(`/api/v1/statuses/${shown.id}`)).json;
      const done = s.media_attachments.every(
        (a: Loose, i: number) =>
          manifest.media[d.expect.status.media[i]?.remote_url] === undefined ||
          (a.blurhash !== null && a.meta?.original !== undefined),
      );
      return done ? s : null;
    });
    d.expect.status.media.forEach((m: Loose, i: number) => {
      const served = manifest.media[m.remote_url];
      if (served === undefined) return;
      const a = got.media_attachments[i];
      expect(a.remote_url).toBe(h.uri(m.remote_url));
      expect([a.meta.original.width, a.meta.original.height]).toEqual([
        served.width,
        served.height,
      ]);
      expect(a.meta.original.aspect).toBeCloseTo(served.width / served.height, 5);
      expect(isBlurhashValid(a.blurhash).result).toBe(true);
      if (raw.includes(served.blurhash)) {
        // Sent by the server: kept as it was.
        expect(a.blurhash).toBe(served.blurhash);
      } else {
        // Computed here: not byte-identical to the server's encoder, but the same picture.
        const ours = averageColour(a.blurhash);
        const theirs = averageColour(served.blurhash);
        for (const [k, c] of theirs.entries()) expect(Math.abs(c - ours[k]!)).toBeLessThan(24);
      }
    });
  });

  it("leaves an image whose file is missing as the sender described it", async () => {
    const eve = "https://evil.example/users/eve";
    const note = `${eve}/statuses/666099`;
    const res = await h.servers.deliverJson(
      {
        "@context": "https://www.w3.org/ns/activitystreams",
        id: `${note}/activity`,
        type: "Create",
        actor: eve,
        to: ["https://www.w3.org/ns/activitystreams#Public"],
        object: {
          id: note,
          type: "Note",
          attributedTo: eve,
          to: ["https://www.w3.org/ns/activitystreams#Public"],
          content: "<p>a missing picture</p>",
          attachment: [
            {
              type: "Document",
              mediaType: "image/png",
              url: "https://evil.example/media/missing.png",
              name: "gone",
            },
          ],
        },
      },
      eve,
      h.instance.deps.urls.sharedInbox(),
    );
    expect(res.status).toBe(202);
    const stored = await waitFor("the note", async () => {
      const found = await h.api(
        `/api/v2/search?type=statuses&resolve=true&q=${encodeURIComponent(h.uri(note))}`,
      );
      return found.json.statuses?.[0];
    });
    await h.settled();
    await h.instance.deps.remoteMedia.idle();
    const got = (await h.api(`/api/v1/statuses/${stored.id}`)).json;
    expect(got.media_attachments[0]).toMatchObject({ blurhash: null, description: "gone" });
    expect(got.media_attachments[0].meta).toEqual({});
    expect((await fetch(`${h.instance.url}/health`)).status).toBe(200);
  });
});
