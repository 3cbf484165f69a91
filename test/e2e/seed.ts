// Seeds an instance's database for the browser tests, run as its own short process (see browser.ts for
// why): two users, a follow, paintings made by sharp (written under DATA_DIR/e2e-images and referenced by
// URL), public and followers-only posts, and notifications. Prints the ids as JSON on its last line.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encode } from "blurhash";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { loadConfig } from "../../src/config.ts";
import { closeDatabase, openDatabase } from "../../src/db/client.ts";
import { newId } from "../../src/db/ids.ts";
import { accounts, mediaAttachments, statuses } from "../../src/db/schema/index.ts";
import { localUrls } from "../../src/domain/local-urls.ts";
import { follow, localUser, notify } from "../helpers/factories.ts";

const imageBase = process.argv[2]!;
const config = loadConfig();
const db = openDatabase(config.databasePath);
const urls = localUrls(config.origin);
const imageDir = join(config.dataDir, "e2e-images");
mkdirSync(imageDir, { recursive: true });

/** An SVG "painting" rendered by sharp: a sky gradient, a sun and hills, in the given hue. */
async function painting(hue: number, seed: number, height: number) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="768" height="${height}" viewBox="0 0 768 768" preserveAspectRatio="none">
  <defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="hsl(${hue},70%,35%)"/><stop offset="1" stop-color="hsl(${(hue + 40) % 360},85%,70%)"/>
  </linearGradient></defs>
  <rect width="768" height="768" fill="url(#s)"/>
  <circle cx="${250 + (seed % 5) * 60}" cy="${260 + (seed % 3) * 40}" r="110" fill="hsl(${(hue + 180) % 360},90%,75%)"/>
  <path d="M0 560 Q 200 ${440 + (seed % 4) * 30} 400 560 T 768 540 V768 H0Z" fill="hsl(${(hue + 200) % 360},40%,25%)"/>
  <path d="M0 650 Q 250 580 500 660 T 768 640 V768 H0Z" fill="hsl(${(hue + 220) % 360},45%,15%)"/>
</svg>`;
  const webp = await sharp(Buffer.from(svg)).webp({ quality: 80 }).toBuffer();
  const { data, info } = await sharp(webp)
    .resize(32, 32)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { webp, blurhash: encode(new Uint8ClampedArray(data), info.width, info.height, 4, 4) };
}

async function post(
  accountId: string,
  options: {
    visibility?: "public" | "private";
    content: string;
    prompt: string;
    images: number;
    hue: number;
    /** The images' height (768 wide): the justified gallery lays out mixed shapes. */
    height?: number;
  },
) {
  const id = newId();
  await db.insert(statuses).values({
    id,
    iri: urls.status(id),
    accountId,
    local: true,
    visibility: options.visibility ?? "public",
    content: `<p>${options.content}</p>`,
  });
  for (let i = 0; i < options.images; i++) {
    const { webp, blurhash } = await painting(
      (options.hue + i * 70) % 360,
      Number(id.slice(-3)) + i,
      options.height ?? 768,
    );
    const file = `${id}-${i}.webp`;
    writeFileSync(join(imageDir, file), webp);
    await db.insert(mediaAttachments).values({
      id: newId(),
      accountId,
      statusId: id,
      position: i,
      mediaType: "image/webp",
      remoteUrl: `${imageBase}/${file}`,
      width: 768,
      height: options.height ?? 768,
      description: `${options.prompt} (image ${i + 1})`,
      blurhash,
      provenance: {
        digitalSourceType: "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
        provider: "local",
        model: "atelier-local-1",
        prompt: options.prompt,
      },
    });
  }
  return id;
}

const { account: alice } = await localUser({ db, urls }, "alice", { displayName: "Alice Moreau" });
const { account: bob } = await localUser({ db, urls }, "bob", { displayName: "Bob" });
await db
  .update(accounts)
  .set({
    note: "<p>I paint lighthouses and weather with prompts.</p>",
    fields: [
      { name: "Website", value: "alice.example" },
      { name: "Pronouns", value: "she/her" },
    ],
  })
  .where(eq(accounts.id, alice.id));
await follow(db, bob.id, alice.id);
// Older posts by Bob, enough for a second page of the explore gallery (24 tiles a page).
for (let n = 0; n < 20; n++) {
  await post(bob.id, {
    content: `Archive sketch ${n + 1}`,
    prompt: `an archive sketch of the harbour, number ${n + 1}`,
    images: 1,
    hue: (n * 17) % 360,
    // Landscape, portrait and square, so that the gallery's rows mix shapes.
    height: [512, 1024, 768, 432][n % 4]!,
  });
}
for (let n = 0; n < 7; n++) {
  await post(alice.id, {
    content: `Study number ${n + 1}`,
    prompt: `a quiet coastal landscape, study ${n + 1}, watercolor`,
    images: 1,
    hue: n * 45,
  });
}
const multiId = await post(alice.id, {
  content: "Two takes on the same storm",
  prompt: "a lighthouse in a storm at dusk, oil painting",
  images: 2,
  hue: 210,
});
const publicId = await post(alice.id, {
  content: "Lighthouse at dusk",
  prompt: "a lighthouse at dusk, watercolor, soft light",
  images: 1,
  hue: 20,
});
const secretId = await post(alice.id, {
  visibility: "private",
  content: "Only for my followers: a secret sketch",
  prompt: "a secret garden",
  images: 1,
  hue: 120,
});
await notify(db, alice.id, bob.id, "follow");
await notify(db, alice.id, bob.id, "favourite", publicId);
closeDatabase(db);
process.stdout.write(`${JSON.stringify({ publicId, multiId, secretId, imageDir })}\n`);
