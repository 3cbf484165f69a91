// Enforces the dependency rule (README, Architecture): arrows point inward (adapters → domain → db), no cycles, and
// nothing below the adapters knows about Hono or Fedify.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { root } from "./helpers/process.ts";

function sourceFiles(dir: string): string[] {
  // federation/ appears with the federation branch; until then there is nothing to scan there.
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

const files = [...sourceFiles(join(root, "src")), ...sourceFiles(join(root, "federation"))];
const importPattern = /^\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']/gms;

function importsOf(file: string): { local: string[]; packages: string[] } {
  const text = readFileSync(file, "utf8");
  const local: string[] = [];
  const packages: string[] = [];
  for (const m of text.matchAll(importPattern)) {
    const spec = m[1]!;
    if (spec.startsWith(".")) local.push(resolve(dirname(file), spec));
    else packages.push(spec);
  }
  return { local, packages };
}

/** The layer of a file: its top folder under src/ (or "federation"), or the file itself. */
function layerOf(file: string): string {
  const rel = relative(root, file);
  if (rel.startsWith("federation/")) return "federation";
  if (!rel.startsWith("src/")) return "outside"; // package.json and the like
  const parts = rel.split("/");
  return parts.length > 2 ? parts[1]! : parts[1]!.replace(/\.tsx?$/, "");
}

// What each layer may import, by layer name. Files not listed (main, deps, app) may import anything.
const allowed: Record<string, string[]> = {
  config: [],
  errors: [],
  // The interface's languages (i18next and Intl): plumbing that knows nothing of ours.
  i18n: [],
  logging: ["config"],
  version: [],
  // Plumbing every door shares: the body limit and the API answers' security headers.
  http: ["errors"],
  // The bus between processes: plumbing that knows no domain.
  bus: ["logging"],
  db: ["config"],
  media: ["config", "errors", "logging", "db"],
  generation: ["config", "errors", "logging", "db", "media"],
  // E-mail transport (SMTP or .eml files): plumbing that knows no domain.
  mail: ["config", "logging"],
  domain: ["config", "errors", "logging", "db", "media", "generation", "version", "mail", "i18n"],
  api: [
    "config",
    "errors",
    "logging",
    "db",
    "domain",
    "media",
    "generation",
    "version",
    "server",
    "mail",
  ],
  web: [
    "config",
    "errors",
    "logging",
    "db",
    "domain",
    "media",
    "generation",
    "version",
    "api",
    "mail",
    "i18n",
  ],
  cli: ["config", "errors", "logging", "db", "domain", "media", "generation", "version", "mail"],
  federation: [
    "config",
    "errors",
    "logging",
    "db",
    "domain",
    "media",
    "generation",
    "version",
    "http",
  ],
};
const frameworkFree = [
  "config",
  "errors",
  "logging",
  "db",
  "media",
  "generation",
  "domain",
  "i18n",
];

describe("architecture", () => {
  it("keeps imports pointing inward", () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      const rules = allowed[from];
      const { local, packages } = importsOf(file);
      if (rules !== undefined) {
        for (const target of local) {
          const to = layerOf(target);
          if (to !== from && to !== "outside" && !rules.includes(to)) {
            violations.push(
              `${relative(root, file)} (${from}) imports ${relative(root, target)} (${to})`,
            );
          }
        }
      }
      if (frameworkFree.includes(from)) {
        for (const p of packages) {
          if (
            p === "hono" ||
            p.startsWith("hono/") ||
            p.startsWith("@fedify/") ||
            p.startsWith("@hono/")
          ) {
            violations.push(`${relative(root, file)} (${from}) imports ${p}`);
          }
        }
      }
      if (from !== "federation" && !["main", "deps", "app"].includes(from)) {
        for (const p of packages) {
          if (p.startsWith("@fedify/")) violations.push(`${relative(root, file)} imports ${p}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  // One read path (README, Architecture): the pages read through db/queries, as the client API does, so
  // visibility and blocks are applied in one place. No SQL and no schema in web/, type-only imports
  // included (the row types are re-exported by db/queries/rows.ts); nor the visibility conditions
  // themselves, which only the queries apply.
  it("keeps SQL out of the web pages: web/ imports neither drizzle-orm nor db/schema", () => {
    const schema = join(root, "src", "db", "schema");
    const visibility = [
      join(root, "src", "db", "queries", "visibility.ts"),
      join(root, "src", "domain", "visibility.ts"),
    ];
    const violations: string[] = [];
    for (const file of files) {
      if (layerOf(file) !== "web") continue;
      const { local, packages } = importsOf(file);
      for (const p of packages) {
        if (p === "drizzle-orm" || p.startsWith("drizzle-orm/")) {
          violations.push(`${relative(root, file)} imports ${p}`);
        }
      }
      for (const target of local) {
        if (target === schema || target.startsWith(`${schema}/`) || visibility.includes(target)) {
          violations.push(`${relative(root, file)} imports ${relative(root, target)}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it("has no import cycles", () => {
    const graph = new Map(files.map((f) => [f, importsOf(f).local]));
    const state = new Map<string, "visiting" | "done">();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "visiting") {
        cycles.push(
          [...path.slice(path.indexOf(file)), file].map((f) => relative(root, f)).join(" → "),
        );
        return;
      }
      state.set(file, "visiting");
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, "done");
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it("has one visibility module", () => {
    // Who may see a status or an account is decided in db/queries/visibility.ts alone (the SQL conditions
    // and the predicates built on them); no other file exports such a function or writes such SQL.
    const home = join(root, "src", "db", "queries", "visibility.ts");
    const exported =
      /export\s+(?:async\s+)?function\s+(canSee\w*|visibleTo\w*|isVisible\w*|mayView\w*|isSuspendedAccount)\b/;
    const visibilitySql =
      /visibility\}?\s+in\s*\(|from\s+(?:status_mentions|blocks|mutes)\b|suspended_at\s+is\s+not\s+null/;
    const strays: string[] = [];
    for (const file of files) {
      if (file === home) continue;
      const text = readFileSync(file, "utf8");
      const fn = exported.exec(text);
      if (fn) strays.push(`${relative(root, file)} exports ${fn[1]}`);
      if (visibilitySql.test(text)) strays.push(`${relative(root, file)} writes visibility SQL`);
    }
    expect(strays).toEqual([]);
    expect(readFileSync(home, "utf8")).toMatch(/export (async )?function canSee\(/);
  });
});
