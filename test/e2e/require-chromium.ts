// Fails the browser test run up front, with the fix, when Chromium is missing: these tests must never
// pass by skipping.
import { existsSync } from "node:fs";
import { CHROMIUM_PATH } from "./chromium-path.ts";

export default function requireChromium(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Browser tests need Chromium at ${CHROMIUM_PATH}, which is missing.\n` +
        "Install it with: apt-get install -y chromium   (then run npm run test:e2e again)",
    );
  }
}
