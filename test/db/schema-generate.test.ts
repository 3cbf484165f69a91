// The PostgreSQL tables are generated from the SQLite ones (src/db/postgres/derive-schema.ts, by the
// rules of schema-rules.ts): the files committed under src/db/postgres/schema are what the generator
// writes today, and its rules do what they say on small schemas of their own. (schema-parity.* compare
// the two sets as drizzle sees them.)
import { describe, expect, it } from "vitest";
import {
  derivePostgresSchema,
  SchemaDerivationError,
  type SchemaFile,
} from "../../src/db/postgres/derive-schema.ts";
import { drift, generatedPostgresSchema } from "../../src/db/postgres/generate.ts";

const COLUMNS: SchemaFile = {
  name: "columns.ts",
  text: `
import { integer, text } from "drizzle-orm/sqlite-core";
export const id = () => text("id").primaryKey();
export const flag = (name: string) => integer(name, { mode: "boolean" }).notNull().default(false);
`,
};

function derive(...files: SchemaFile[]): Map<string, string> {
  return derivePostgresSchema([COLUMNS, ...files]);
}

/** The derived text with white space folded, for matching code across the printer's line breaks. */
function folded(text: string | undefined): string {
  return (text ?? "").replace(/\s+/g, " ");
}

describe("the generated PostgreSQL schema", () => {
  it("is what `npm run db:schema` writes from src/db/schema (run it after changing a table)", async () => {
    const wanted = await generatedPostgresSchema();
    expect(drift(wanted)).toEqual([]);
    expect(wanted.get("accounts.ts")).toContain("do not edit");
    expect(wanted.has("columns.ts")).toBe(false);
  });
});

describe("derivePostgresSchema", () => {
  it("maps the column builders to PostgreSQL's types and imports only what the tables use", () => {
    const out = derive({
      name: "things.ts",
      text: `
import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { flag, id } from "./columns.ts";
import type { Visibility } from "./statuses.ts";
export type Shape = "round" | "square";
export const SHAPES: Shape[] = ["round", "square"];
export const things = sqliteTable(
  "things",
  {
    id: id(),
    shape: text("shape").$type<Shape>().notNull(),
    visibility: text("visibility").$type<Visibility>(),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default(sql\`'[]'\`),
    hidden: integer("hidden", { mode: "boolean" }).notNull().default(false),
    archived: flag("archived"),
    seenAt: integer("seen_at", { mode: "timestamp_ms" }),
    weight: real("weight"),
    rank: integer("rank").notNull(),
  },
  (t) => [
    index("things_shown_idx").on(t.id).where(sql\`\${t.hidden} = 0 and \${t.archived} = 1\`),
    index("things_top_idx").on(t.id).where(sql\`\${t.rank} = 1\`),
  ],
);
export type Thing = typeof things.$inferSelect;
`,
    });
    const text = folded(out.get("things.ts"));
    expect(text).toContain('import { sql } from "drizzle-orm";');
    expect(text).toContain(
      'import { boolean, doublePrecision, index, integer, jsonb, pgTable, text, timestamp as pgTimestamp } from "drizzle-orm/pg-core";',
    );
    expect(text).toContain('import type { Shape } from "../../schema/things.ts";');
    expect(text).toContain('import type { Visibility } from "../../schema/statuses.ts";');
    expect(text).toContain('import { flag, id } from "./columns.ts";');
    expect(text).toContain("export const things = pgTable(");
    expect(text).toContain(
      "jsonb(\"tags\").$type<string[]>().notNull().default(sql `'[]'::jsonb`)",
    );
    expect(text).toContain('boolean("hidden").notNull().default(false)');
    expect(text).toContain(
      'pgTimestamp("seen_at", { mode: "date", precision: 3, withTimezone: true })',
    );
    expect(text).toContain('doublePrecision("weight")');
    // Booleans compared with 1 or 0 become true or false; an integer column's 1 stays.
    expect(text).toContain(`\${t.hidden} = false and \${t.archived} = true`);
    expect(text).toContain(`\${t.rank} = 1`);
    // Types and other exports stay in the SQLite file.
    expect(text).not.toContain("SHAPES");
    expect(text).not.toContain("$inferSelect");
    expect(text).not.toContain("sqlite");
  });

  it("points an import of a sibling's table at the PostgreSQL twin, and of its types at SQLite's", () => {
    const out = derive(
      {
        name: "parents.ts",
        text: `
import { sqliteTable } from "drizzle-orm/sqlite-core";
import { id } from "./columns.ts";
export type Kind = "a" | "b";
export const parents = sqliteTable("parents", { id: id() });
`,
      },
      {
        name: "children.ts",
        text: `
import { type AnySQLiteColumn, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { id } from "./columns.ts";
import { type Kind, parents } from "./parents.ts";
export const children = sqliteTable("children", {
  id: id(),
  kind: text("kind").$type<Kind>(),
  parentId: text("parent_id").references(() => parents.id),
  siblingId: text("sibling_id").references((): AnySQLiteColumn => children.id),
});
`,
      },
    );
    const text = folded(out.get("children.ts"));
    expect(text).toContain('import { parents } from "./parents.ts";');
    expect(text).toContain('import type { Kind } from "../../schema/parents.ts";');
    expect(text).toContain(
      'import { type AnyPgColumn, pgTable, text } from "drizzle-orm/pg-core";',
    );
    expect(text).toContain("(): AnyPgColumn => children.id");
  });

  it("leaves out the files with no twin and lists them in the index", () => {
    const out = derive(
      {
        name: "tables.ts",
        text: 'export * from "./columns.ts";\nexport * from "./federation.ts";\nexport * from "./a.ts";\n',
      },
      {
        name: "federation.ts",
        text: 'import { sqliteTable } from "drizzle-orm/sqlite-core";\nexport const kv = sqliteTable("kv", {});\n',
      },
      {
        name: "a.ts",
        text: 'import { sqliteTable } from "drizzle-orm/sqlite-core";\nexport const a = sqliteTable("a", {});\n',
      },
    );
    expect([...out.keys()].sort()).toEqual(["a.ts", "index.ts"]);
    const index = out.get("index.ts") ?? "";
    expect(index).toContain('export * from "./a.ts";');
    expect(index).not.toContain('from "./federation.ts"');
    expect(index).toContain("federation.ts: Fedify's");
  });

  it("stops, naming the file and line, at a builder it has no rule for", () => {
    const derivation = () =>
      derive({
        name: "files.ts",
        text: `import { blob, sqliteTable } from "drizzle-orm/sqlite-core";

export const files = sqliteTable("files", { data: blob("data", { mode: "buffer" }) });
`,
      });
    expect(derivation).toThrow(SchemaDerivationError);
    expect(derivation).toThrow(/src\/db\/schema\/files\.ts:3: no PostgreSQL mapping for blob/);
  });

  it("stops at a file with no tables that is not listed as having no twin", () => {
    expect(() => derive({ name: "notes.ts", text: "export type Note = string;\n" })).toThrow(
      /notes\.ts:1: no tables/,
    );
  });
});
