import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createTar } from "../../src/domain/tar.ts";
import { localUser, webpImage } from "../helpers/factories.ts";
import { createTestInstance, tempDir } from "../helpers/instance.ts";
import { PageClient } from "../helpers/web.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Unpacks a tar with the system's tar (a real, independent reader) and returns the folder. */
function untar(bytes: Buffer): string {
  const dir = tempDir("atelier-archive-");
  cleanups.push(dir.remove);
  const file = join(dir.path, "archive.tar");
  writeFileSync(file, bytes);
  const out = join(dir.path, "out");
  mkdirSync(out);
  execFileSync("tar", ["-xf", file, "-C", out]);
  return out;
}

describe("downloading one's data", () => {
  it("writes a tar that tar reads back byte for byte", () => {
    const payload = Buffer.alloc(1500, 7);
    const out = untar(
      createTar([
        { name: "a.json", bytes: Buffer.from('{"x":1}\n') },
        { name: "media/b.bin", bytes: payload },
      ]),
    );
    expect(readFileSync(join(out, "a.json"), "utf8")).toBe('{"x":1}\n');
    expect(readFileSync(join(out, "media/b.bin")).equals(payload)).toBe(true);
  });

  it("gives a signed-in user an archive of their profile, posts, prompts and images", async () => {
    const i = await createTestInstance();
    cleanups.push(() => i.close());
    await i.deps.generation.start();
    await localUser(i, "alice", { displayName: "Alice" });
    const client = new PageClient(i.app);
    await client.signIn("alice");
    const csrf = await client.csrfFrom("/compose");
    // One uploaded image and one generated (not posted) candidate.
    const form = new FormData();
    form.set("csrf", csrf);
    form.set("file", new File([await webpImage({ r: 10, g: 120, b: 200 })], "x.webp"));
    form.set("text", "Blue study");
    form.set("alt", "A blue rectangle");
    expect((await client.request("/compose/upload", { method: "POST", body: form })).status).toBe(
      303,
    );
    await client.post("/compose/generate", {
      csrf,
      prompt: "a kite over dunes",
      size: "1024x1024",
    });
    await i.deps.generation.idle();

    const settings = await client.get("/settings");
    expect(settings.body).toContain('action="/settings/archive"');
    const res = await client.post("/settings/archive", { csrf });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-tar");
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="atelier-alice-/);
    const out = untar(Buffer.from(await res.arrayBuffer()));
    const profile = JSON.parse(readFileSync(join(out, "profile.json"), "utf8"));
    expect(profile.displayName).toBe("Alice");
    const posts = JSON.parse(readFileSync(join(out, "posts.json"), "utf8"));
    expect(posts).toHaveLength(1);
    expect(posts[0].content).toContain("Blue study");
    expect(posts[0].images[0].altText).toBe("A blue rectangle");
    const image = readFileSync(join(out, posts[0].images[0].file));
    expect(image.byteLength).toBeGreaterThan(0);
    const prompts = JSON.parse(readFileSync(join(out, "prompts.json"), "utf8"));
    expect(prompts.map((p: { prompt: string }) => p.prompt)).toEqual(["a kite over dunes"]);
  });

  it("refuses the download without a CSRF token", async () => {
    const i = await createTestInstance();
    cleanups.push(() => i.close());
    await localUser(i, "alice");
    const client = new PageClient(i.app);
    await client.signIn("alice");
    const res = await client.post("/settings/archive", {});
    expect(res.status).toBe(403);
  });
});
