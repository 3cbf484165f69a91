// `npm run db:schema`: writes src/db/postgres/schema from src/db/schema (derive-schema.ts, by the rules
// of schema-rules.ts), formatted as Biome formats the rest of the tree. `npm run db:schema -- --check`
// writes nothing and exits 1 when a generated file differs from what it would write (CI runs it beside
// the migration drift check, so a table changed in src/db/schema without regenerating fails there).
//
// A development command, run from the repository's root; the server never imports it.
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { derivePostgresSchema, SchemaDerivationError } from "./derive-schema.ts";

const SQLITE_DIR = "src/db/schema";
const POSTGRES_DIR = "src/db/postgres/schema";
/** Written by hand in the PostgreSQL folder: never generated, never removed. */
const HAND_WRITTEN = new Set(["columns.ts"]);

/** The generated files (name → formatted text) for the SQLite schema on disk. */
export async function generatedPostgresSchema(root = "."): Promise<Map<string, string>> {
  const sqliteDir = join(root, SQLITE_DIR);
  const files = readdirSync(sqliteDir)
    .filter((name) => name.endsWith(".ts"))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(sqliteDir, name), "utf8") }));
  const derived = [...derivePostgresSchema(files)];
  const formatted = await Promise.all(
    derived.map(([name, text]) => format(join(POSTGRES_DIR, name), text, root)),
  );
  return new Map(derived.map(([name], i) => [name, formatted[i] ?? ""]));
}

/**
 * Biome's check --write on text (imports organized, then formatted), as `npm run format` would. One
 * process a file, all at once: Biome reads stdin for one file only, and refuses paths outside the tree.
 */
function format(path: string, text: string, root: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const biome = execFile(
      join(root, "node_modules/.bin/biome"),
      ["check", "--write", `--stdin-file-path=${path}`],
      { cwd: root, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`biome could not format ${path}: ${stderr}`));
        else resolve(stdout);
      },
    );
    biome.stdin?.end(text);
  });
}

/** Generated files on disk that differ from `wanted`, are missing, or are no longer generated. */
export function drift(wanted: ReadonlyMap<string, string>, root = "."): string[] {
  const dir = join(root, POSTGRES_DIR);
  const present = readdirSync(dir).filter((n) => n.endsWith(".ts") && !HAND_WRITTEN.has(n));
  const out: string[] = [];
  for (const [name, text] of wanted) {
    if (!present.includes(name)) out.push(`${name}: missing`);
    else if (readFileSync(join(dir, name), "utf8") !== text) out.push(`${name}: differs`);
  }
  for (const name of present) if (!wanted.has(name)) out.push(`${name}: no longer generated`);
  return out;
}

async function main(args: readonly string[]): Promise<number> {
  let wanted: Map<string, string>;
  try {
    wanted = await generatedPostgresSchema();
  } catch (error) {
    if (!(error instanceof SchemaDerivationError)) throw error;
    console.error(error.message);
    return 1;
  }
  const differences = drift(wanted);
  if (args.includes("--check")) {
    if (differences.length === 0) return 0;
    console.error(
      `${POSTGRES_DIR} is not what src/db/schema generates:\n  ${differences.join("\n  ")}\n` +
        "Run npm run db:schema (and then npm run db:generate for the migration).",
    );
    return 1;
  }
  const dir = join(process.cwd(), POSTGRES_DIR);
  for (const [name, text] of wanted) writeFileSync(join(dir, name), text);
  for (const line of differences) {
    if (line.endsWith(": no longer generated")) rmSync(join(dir, line.split(":")[0] ?? ""));
  }
  console.log(
    differences.length === 0
      ? `${POSTGRES_DIR}: up to date`
      : `${POSTGRES_DIR}, written anew:\n  ${differences.join("\n  ")}`,
  );
  return 0;
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
