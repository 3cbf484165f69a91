// Mastodon's default avatar and header images (/avatars/original/missing.png, /headers/original/
// missing.png), made once with sharp: clients expect a real image URL even when a profile has none.
import { Hono } from "hono";
import { sharp } from "../media/sharp.ts";

let avatar: Promise<Buffer> | undefined;
let header: Promise<Buffer> | undefined;

const flat = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 196, b: 214 } } })
    .png()
    .toBuffer();

export function defaultImagesRouter(): Hono {
  const app = new Hono();
  const send = (image: Buffer) =>
    new Response(new Uint8Array(image), {
      headers: { "Content-Type": "image/png", "Cache-Control": "public, max-age=86400" },
    });
  app.get("/avatars/original/missing.png", async () => {
    avatar ??= flat(400, 400);
    return send(await avatar);
  });
  app.get("/headers/original/missing.png", async () => {
    header ??= flat(1500, 500);
    return send(await header);
  });
  return app;
}
