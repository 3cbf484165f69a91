// The PostgreSQL tables, derived from the SQLite ones: src/db/schema is the one description written by
// hand, and this turns each of its table files into the pg-core file of the same name under
// src/db/postgres/schema (generate.ts writes them; `npm run db:schema -- --check` fails on drift). The
// rules of what changes on the way are in schema-rules.ts; this keeps a file's tables (and the column
// helpers they use), rewrites their imports, and leaves the rest where it is: types, interfaces and
// other exports stay in the SQLite file and are imported from there, and so do the comments (the
// generated file names its source).
//
// What is not derived, on purpose: the files of NOT_DERIVED below (Fedify's two SQLite-only tables among
// them), and what drizzle cannot describe at all, such as the endorsement trigger on follows, which is
// hand-written SQL in each dialect's migrations (migrations/postgres/0001_endorsements-end-with-follow.sql).
import ts from "typescript";
import {
  type ColumnKind,
  type Edit,
  failure,
  kindOf,
  PG_CORE,
  rewriteSql,
  rewriteSqliteCore,
  SchemaDerivationError,
  SQLITE_CORE,
} from "./schema-rules.ts";

export { SchemaDerivationError } from "./schema-rules.ts";

/** Files of src/db/schema that get no PostgreSQL twin of their own, and why. */
export const NOT_DERIVED: Readonly<Record<string, string>> = {
  "columns.ts":
    "each dialect's column helpers are written by hand (src/db/postgres/schema/columns.ts)",
  "federation.ts": "Fedify's two tables (on PostgreSQL, its KvStore and queue keep their own)",
  "index.ts": "the tables every query imports, switched to PostgreSQL's by useTablesOf",
  "tables.ts": "becomes the PostgreSQL index.ts, without the files above",
};

/** A file of src/db/schema as the derivation reads it: its name (accounts.ts) and text. */
export interface SchemaFile {
  name: string;
  text: string;
}

/**
 * The PostgreSQL schema files (name → unformatted text) for the SQLite ones: one per table file, and
 * index.ts from tables.ts.
 */
export function derivePostgresSchema(files: readonly SchemaFile[]): Map<string, string> {
  const parsed = new Map(
    files.map((f) => [f.name, ts.createSourceFile(f.name, f.text, ts.ScriptTarget.Latest, true)]),
  );
  const columns = parsed.get("columns.ts");
  const helperKinds = columns ? kindsOfHelpers(columns, new Map()) : new Map<string, ColumnKind>();
  // First what each file keeps (its tables and column helpers), so an import of a name from a sibling
  // file can point at the PostgreSQL file when the name is kept there, and at the SQLite one if not.
  const kept = new Map<string, Set<string>>();
  for (const [name, source] of parsed) {
    if (name in NOT_DERIVED) continue;
    kept.set(name, new Set(keptStatements(source).flatMap(declaredNames)));
  }
  const out = new Map<string, string>();
  for (const [name, source] of parsed) {
    if (name in NOT_DERIVED) continue;
    out.set(name, deriveFile(source, kept, helperKinds));
  }
  const tables = parsed.get("tables.ts");
  if (tables) out.set("index.ts", deriveIndex(tables));
  return out;
}

/** Statements that describe tables: variable statements that call a sqlite-core builder or helper. */
function keptStatements(source: ts.SourceFile): ts.VariableStatement[] {
  const builders = new Set(
    importsOf(source)
      .filter((i) => i.module === SQLITE_CORE || i.module === "./columns.ts")
      .map((i) => i.local),
  );
  const out: ts.VariableStatement[] = [];
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    if (callsAny(statement, builders)) {
      out.push(statement);
      for (const name of declaredNames(statement)) builders.add(name); // a local helper (interactions.ts)
    }
  }
  return out;
}

function callsAny(node: ts.Node, names: ReadonlySet<string>): boolean {
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
    if (names.has(node.expression.text)) return true;
  }
  return ts.forEachChild(node, (child) => callsAny(child, names) || undefined) ?? false;
}

function declaredNames(statement: ts.Statement): string[] {
  if (!ts.isVariableStatement(statement)) return [];
  return statement.declarationList.declarations.flatMap((d) =>
    ts.isIdentifier(d.name) ? [d.name.text] : [],
  );
}

interface Import {
  local: string;
  imported: string;
  module: string;
  typeOnly: boolean;
}

function importsOf(source: ts.SourceFile): Import[] {
  const out: Import[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier))
      continue;
    const clause = statement.importClause;
    const bindings = clause?.namedBindings;
    if (!clause || !bindings || !ts.isNamedImports(bindings)) {
      throw failure(statement, "only named imports are understood");
    }
    for (const element of bindings.elements) {
      out.push({
        local: element.name.text,
        imported: (element.propertyName ?? element.name).text,
        module: statement.moduleSpecifier.text,
        typeOnly: clause.isTypeOnly || element.isTypeOnly,
      });
    }
  }
  return out;
}

/** The kind of column each exported helper of columns.ts (or a local helper) builds. */
function kindsOfHelpers(
  source: ts.SourceFile,
  known: ReadonlyMap<string, ColumnKind>,
): Map<string, ColumnKind> {
  const sqliteNames = sqliteCoreNames(source);
  const kinds = new Map(known);
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || !d.initializer || !ts.isArrowFunction(d.initializer))
        continue;
      const body = d.initializer.body;
      if (ts.isExpression(body)) kinds.set(d.name.text, kindOf(body, sqliteNames, kinds));
    }
  }
  return kinds;
}

/** sqlite-core's exports by local name → imported name. */
function sqliteCoreNames(source: ts.SourceFile): Map<string, string> {
  return new Map(
    importsOf(source)
      .filter((i) => i.module === SQLITE_CORE)
      .map((i) => [i.local, i.imported]),
  );
}

function deriveFile(
  source: ts.SourceFile,
  kept: ReadonlyMap<string, ReadonlySet<string>>,
  columnHelperKinds: ReadonlyMap<string, ColumnKind>,
): string {
  const statements = keptStatements(source);
  if (statements.length === 0) {
    throw failure(
      source,
      "no tables: list the file in NOT_DERIVED (derive-schema.ts) with the reason",
    );
  }
  const imports = importsOf(source);
  const byLocal = new Map(imports.map((i) => [i.local, i]));
  const sqliteNames = sqliteCoreNames(source);
  const helperKinds = kindsOfHelpers(source, columnHelperKinds);
  const localTypes = new Set<string>();
  const localValues = new Set<string>();
  for (const statement of source.statements) {
    if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
      localTypes.add(statement.name.text);
    } else {
      for (const name of declaredNames(statement)) localValues.add(name);
    }
  }
  const keptHere = kept.get(source.fileName) ?? new Set();

  const edits: Edit[] = [];
  const pgNames = new Map<string, boolean>(); // pg-core name → type only
  const used = new Set<string>(); // identifiers the kept statements take from elsewhere
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && isReference(node)) {
      const sqliteName = sqliteNames.get(node.text);
      if (sqliteName !== undefined) {
        edits.push(...rewriteSqliteCore(node, sqliteName, pgNames));
      } else if (byLocal.has(node.text) || localTypes.has(node.text)) {
        used.add(node.text);
      } else if (localValues.has(node.text) && !keptHere.has(node.text)) {
        used.add(node.text);
      }
    }
    if (ts.isTaggedTemplateExpression(node) && node.tag.getText() === "sql") {
      edits.push(...rewriteSql(node, sqliteNames, helperKinds));
    }
    ts.forEachChild(node, visit);
  };
  for (const statement of statements) visit(statement);

  const importLines = [
    ...importsFrom(imports, used),
    importLine(
      PG_CORE,
      [...pgNames].map(([name, typeOnly]) => ({ name, typeOnly })),
    ),
    ...importsOfSqliteFile(source.fileName, used, localTypes, localValues),
    ...siblingImports(imports, used, kept),
  ].filter((line) => line !== "");

  const printer = ts.createPrinter({ removeComments: true });
  const body = statements.map((statement) => {
    const text = applyEdits(
      source.text.slice(statement.getStart(), statement.getEnd()),
      edits,
      statement.getStart(),
    );
    const reparsed = ts.createSourceFile("x.ts", text, ts.ScriptTarget.Latest, true);
    keepSingleLineTypes(reparsed);
    return reparsed.statements.map((s) => printer.printNode(ts.EmitHint.Unspecified, s, reparsed));
  });
  return [header(source.fileName), importLines.join("\n"), ...body.flat()].join("\n\n");
}

/**
 * Marks the type literals written on one line to be printed on one line (the printer spreads every type
 * literal over lines, and Biome keeps a spread one spread), so Biome lays them out as in the source.
 */
function keepSingleLineTypes(node: ts.Node): void {
  if (ts.isTypeLiteralNode(node) && !node.getText().includes("\n")) {
    ts.setEmitFlags(node, ts.EmitFlags.SingleLine);
  }
  ts.forEachChild(node, keepSingleLineTypes);
}

/** An identifier that names something (not a property name after a dot or before a colon). */
function isReference(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false;
  if (ts.isPropertyAssignment(parent) && parent.name === node) return false;
  if (ts.isParameter(parent) || ts.isVariableDeclaration(parent)) return false;
  if (ts.isImportSpecifier(parent)) return false;
  return true;
}

function applyEdits(text: string, edits: readonly Edit[], offset: number): string {
  const inside = edits
    .filter((e) => e.start >= offset && e.end <= offset + text.length)
    .sort((a, b) => b.start - a.start);
  let out = text;
  let previousStart = Number.POSITIVE_INFINITY;
  for (const edit of inside) {
    if (edit.end > previousStart) throw new SchemaDerivationError("overlapping rewrites");
    out = out.slice(0, edit.start - offset) + edit.text + out.slice(edit.end - offset);
    previousStart = edit.start;
  }
  return out;
}

/** Imports from packages other than sqlite-core (drizzle-orm's sql), as the SQLite file has them. */
function importsFrom(imports: readonly Import[], used: ReadonlySet<string>): string[] {
  const modules = new Map<string, { name: string; typeOnly: boolean }[]>();
  for (const i of imports) {
    if (i.module === SQLITE_CORE || i.module.startsWith(".") || !used.has(i.local)) continue;
    const name = i.imported === i.local ? i.local : `${i.imported} as ${i.local}`;
    modules.set(i.module, [...(modules.get(i.module) ?? []), { name, typeOnly: i.typeOnly }]);
  }
  return [...modules].map(([module, names]) => importLine(module, names));
}

/** Types and values of the SQLite file itself that its tables use: imported from it. */
function importsOfSqliteFile(
  fileName: string,
  used: ReadonlySet<string>,
  localTypes: ReadonlySet<string>,
  localValues: ReadonlySet<string>,
): string[] {
  const names = [...used]
    .filter((name) => localTypes.has(name) || localValues.has(name))
    .map((name) => ({ name, typeOnly: localTypes.has(name) }));
  return [importLine(`../../schema/${fileName}`, names)];
}

/** Imports from sibling files: the PostgreSQL twin for a kept name, the SQLite file for the rest. */
function siblingImports(
  imports: readonly Import[],
  used: ReadonlySet<string>,
  kept: ReadonlyMap<string, ReadonlySet<string>>,
): string[] {
  const modules = new Map<string, { name: string; typeOnly: boolean }[]>();
  for (const i of imports) {
    if (!i.module.startsWith("./") || !used.has(i.local)) continue;
    const file = i.module.slice(2);
    const twin = file === "columns.ts" || (kept.get(file)?.has(i.imported) ?? false);
    const module = twin ? i.module : `../../schema/${file}`;
    const name = i.imported === i.local ? i.local : `${i.imported} as ${i.local}`;
    modules.set(module, [...(modules.get(module) ?? []), { name, typeOnly: i.typeOnly }]);
  }
  return [...modules].map(([module, names]) => importLine(module, names));
}

function importLine(module: string, names: readonly { name: string; typeOnly: boolean }[]): string {
  if (names.length === 0) return "";
  const sorted = [...names].sort((a, b) => a.name.localeCompare(b.name));
  if (sorted.every((n) => n.typeOnly)) {
    return `import type { ${sorted.map((n) => n.name).join(", ")} } from "${module}";`;
  }
  const list = sorted.map((n) => (n.typeOnly ? `type ${n.name}` : n.name)).join(", ");
  return `import { ${list} } from "${module}";`;
}

function header(fileName: string): string {
  return [
    `// Generated by \`npm run db:schema\`: do not edit. The tables of src/db/schema/${fileName} in`,
    "// PostgreSQL's types, by the rules of src/db/postgres/schema-rules.ts (the comments of the source say",
    "// what each column holds).",
  ].join("\n");
}

/** The PostgreSQL index.ts: tables.ts's re-exports, less the files that have no twin. */
function deriveIndex(tables: ts.SourceFile): string {
  const lines = tables.statements.flatMap((statement) => {
    if (!ts.isExportDeclaration(statement) || !statement.moduleSpecifier) return [];
    if (!ts.isStringLiteral(statement.moduleSpecifier)) return [];
    const file = statement.moduleSpecifier.text.replace(/^\.\//, "");
    return file in NOT_DERIVED ? [] : [`export * from "./${file}";`];
  });
  const omitted = Object.entries(NOT_DERIVED)
    .filter(([file]) => tables.text.includes(`"./${file}"`))
    .map(([file, why]) => `// - ${file}: ${why}.`);
  return [
    "// Generated by `npm run db:schema`: do not edit. The re-exports of src/db/schema/tables.ts: every",
    "// PostgreSQL table, for drizzle-kit and the typed query builder. Not here:",
    ...omitted,
    "",
    ...lines,
  ].join("\n");
}
