// Starts Debian's Chromium through playwright-core with the flags this machine needs (no sandbox as root,
// no background networking on a closed network), and a real Atelier for it: `src/main.ts` in a child
// process, seeded by another short child process.
//
// Why child processes: with Node 24.21's headers, better-sqlite3's statements (node::ObjectWrap) abort
// the process (`RemoveEnvironmentCleanupHook … (env) != nullptr`) when V8 collects them outside a
// context, which happened reliably in a vitest worker that also drives a browser. Keeping SQLite out of
// the test worker keeps the browser tests deterministic; the server runs exactly as `npm start` does.
import { createReadStream, existsSync, mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { freePort, tempDir } from "../helpers/instance.ts";
import { root, runScript, startScript } from "../helpers/process.ts";
import { CHROMIUM_PATH } from "./chromium-path.ts";

export { CHROMIUM_PATH };
export const SCREENSHOT_DIR = join(root, "test-output", "screenshots");

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

export interface Seeded {
  publicId: string;
  multiId: string;
  secretId: string;
}

export interface E2eInstance {
  url: string;
  seeded: Seeded;
  /** The first-start administrator's password, as printed by the server. */
  adminPassword: string;
  /** The instance's DATA_DIR (its e-mails are .eml files in mail/). */
  dataDir: string;
  /** Everything the server printed. */
  output(): string;
  close(): Promise<void>;
}

/** Serves the seeded images (standing in for remote media) from a folder on loopback. */
async function imageServer(dir: string): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const name = (req.url ?? "").replace(/^\/img\//, "");
    const path = join(dir, name);
    if (!/^[\w.-]+\.webp$/.test(name) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "image/webp", "cache-control": "no-store" });
    createReadStream(path).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/img` };
}

/** Starts a seeded instance; `extraEnv` adds settings (REGISTRATIONS=open for signing up). */
export async function serveE2eInstance(
  extraEnv: Record<string, string> = {},
): Promise<E2eInstance> {
  const dir = tempDir("atelier-e2e-");
  const port = await freePort();
  const env = {
    DATA_DIR: dir.path,
    PORT: String(port),
    HOST: "127.0.0.1",
    ORIGIN: `http://127.0.0.1:${port}`,
    LOG_LEVEL: "info",
    ...extraEnv,
  };
  mkdirSync(join(dir.path, "e2e-images"), { recursive: true });
  const images = await imageServer(join(dir.path, "e2e-images"));
  const server = await startScript("src/main.ts", env, /listening on/, 30_000);
  const adminPassword = /password: (\S+)/.exec(server.output())?.[1] ?? "";
  const seed = await runScript("test/e2e/seed.ts", [images.base], { ...env, LOG_LEVEL: "error" });
  if (seed.code !== 0) {
    server.child.kill("SIGTERM");
    throw new Error(`Seeding failed:\n${seed.stdout}\n${seed.stderr}`);
  }
  const seeded = JSON.parse(seed.stdout.trim().split("\n").pop()!) as Seeded;
  return {
    url: env.ORIGIN,
    seeded,
    adminPassword,
    dataDir: dir.path,
    output: () => server.output(),
    async close() {
      server.child.kill("SIGTERM");
      await server.exited;
      await new Promise<void>((r) => images.server.close(() => r()));
      dir.remove();
    },
  };
}

export const WIDTHS = { phone: 390, desktop: 1280 } as const;

/** Saves full-page screenshots of the current page at phone and desktop widths. */
export async function screenshots(page: Page, name: string): Promise<string[]> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const saved: string[] = [];
  for (const [label, width] of Object.entries(WIDTHS)) {
    await page.setViewportSize({ width, height: label === "phone" ? 844 : 900 });
    // Scroll through once so lazy images load before the full-page shot.
    await page.evaluate(async () => {
      for (let y = 0; y < document.body.scrollHeight; y += 600) {
        window.scrollTo(0, y);
        await new Promise((r) => setTimeout(r, 50));
      }
      window.scrollTo(0, 0);
    });
    await page.waitForLoadState("networkidle");
    const path = join(SCREENSHOT_DIR, `${name}-${label}.png`);
    await page.screenshot({ path, fullPage: true });
    saved.push(path);
  }
  return saved;
}
