// A web server on loopback playing the sites statuses link to, for the preview card tests: a page with
// OpenGraph tags and an image, pages that name an oEmbed endpoint (a video with an iframe, a "rich"
// answer whose markup is only a script), a page of plain <title> and description, one too large, one
// that never finishes, one whose image is on another host name, and a count of the requests each path got.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";

export interface LinkPages {
  origin: string;
  /** Requests per path so far. */
  hits(path: string): number;
  close(): Promise<void>;
}

export async function startLinkPages(): Promise<LinkPages> {
  const png = await sharp({
    create: { width: 800, height: 400, channels: 3, background: "#3060a0" },
  })
    .png()
    .toBuffer();
  const counts = new Map<string, number>();
  let origin = "";
  const page = (head: string) =>
    `<!doctype html><html lang="fr-FR"><head><meta charset="utf-8">${head}</head><body><p>Body</p></body></html>`;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const html = (body: string) =>
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(body);
    const json = (body: unknown) =>
      res.writeHead(200, { "Content-Type": "application/json+oembed" }).end(JSON.stringify(body));
    switch (path) {
      case "/article":
        return html(
          page(`<title>Fallback title</title>
<meta property="og:title" content="Lighthouses &amp; Light">
<meta property="og:description" content="  A survey   of painted lighthouses. ">
<meta property="og:site_name" content="Harbour Gazette">
<meta property="og:image" content="/cover.png">
<meta property="og:image:alt" content="A blue square">
<meta name="author" content="Ada Painter">
<meta property="article:published_time" content="2026-11-30T10:00:00Z">
<meta property="og:locale" content="en_GB">`),
        );
      case "/elsewhere":
        // The same server under another name: a host a block can name apart from 127.0.0.1.
        return html(
          page(
            `<meta property="og:title" content="Elsewhere"><meta property="og:image" content="${origin.replace("127.0.0.1", "localhost")}/cover.png">`,
          ),
        );
      case "/plain":
        return html(
          page(`<title>Just a title</title><meta name="description" content="Said plainly.">`),
        );
      case "/video":
        return html(
          page(
            `<title>A video</title><link rel="alternate" type="application/json+oembed" href="/oembed/video.json">`,
          ),
        );
      case "/oembed/video.json":
        return json({
          version: "1.0",
          type: "video",
          title: "Painting the sea",
          author_name: "Studio Blue",
          author_url: `${origin}/studio`,
          provider_name: "TubeLoop",
          provider_url: `${origin}/`,
          width: 640,
          height: 360,
          thumbnail_url: `${origin}/cover.png`,
          html: `<iframe src="https://player.example/embed/1" width="640" height="360" onload="alert(1)" allowfullscreen></iframe><script>alert(2)</script>`,
        });
      case "/rich":
        return html(
          page(
            `<title>Rich</title><link rel="alternate" type="application/json+oembed" href="/oembed/rich.json">`,
          ),
        );
      case "/oembed/rich.json":
        return json({
          version: "1.0",
          type: "rich",
          title: "Widget",
          html: "<script>steal()</script>",
        });
      case "/cover.png":
        return res.writeHead(200, { "Content-Type": "image/png" }).end(png);
      case "/big": {
        // No Content-Length: the cap must hold on the bytes as they arrive.
        res.writeHead(200, { "Content-Type": "text/html" });
        const chunk = `<p>${"x".repeat(64 * 1024)}</p>`;
        for (let i = 0; i < 40; i++) res.write(chunk);
        return res.end();
      }
      case "/slow":
        // Headers and a little of the page, then nothing: the deadline has to end it.
        res.writeHead(200, { "Content-Type": "text/html" });
        res.write("<html><head><title>Never");
        return;
      default:
        return res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    hits: (path) => counts.get(path) ?? 0,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
