// How a sqlite-core table becomes a pg-core one: the rules the schema generator (derive-schema.ts)
// applies to each table of src/db/schema, each here and nowhere else.
// - sqliteTable → pgTable; index, uniqueIndex, primaryKey, foreignKey, unique, check stay as they are.
// - text(name, { mode: "json" }) → jsonb(name), and a JSON column's SQL default gains `::jsonb`.
// - integer(name, { mode: "boolean" }) → boolean(name): PostgreSQL has a real boolean, and refuses to
//   compare one with an integer, so a boolean column's `= 1` / `= 0` in a table's SQL (a partial
//   index's condition) becomes `= true` / `= false`.
// - integer(name, { mode: "timestamp_ms" }) → timestamp with time zone in milliseconds (as
//   src/db/postgres/schema/columns.ts's timestamp helper, which tables normally use).
// - real → double precision (SQLite's REAL is 8 bytes; PostgreSQL's real only 4).
// - AnySQLiteColumn → AnyPgColumn.
// - The column helpers of src/db/schema/columns.ts are called by the same names: each dialect writes its
//   own columns.ts by hand, the one place where a helper's storage differs (times, flags, bigInteger).
// Anything else from sqlite-core (blob, for one: pg-core has no bytea builder) stops the generator with
// the file and line, rather than guessing.
import ts from "typescript";

export const SQLITE_CORE = "drizzle-orm/sqlite-core";

export const PG_CORE = "drizzle-orm/pg-core";

const SAME_NAME = new Set(["index", "uniqueIndex", "primaryKey", "foreignKey", "unique", "check"]);

/** What a column stores, where a rule depends on it. */
export type ColumnKind = "json" | "boolean" | "other";

/** A pg-core builder call in place of a sqlite-core one: the builder and, if they change, its arguments. */
interface Mapped {
  builder: string;
  kind: ColumnKind;
  args?: string;
}

export class SchemaDerivationError extends Error {}

/** Follows a column's method chain (`text(…).notNull().default(…)`) down to the call that starts it. */
function chainRoot(expression: ts.Expression): ts.CallExpression | undefined {
  let node = expression;
  while (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
    node = node.expression.expression;
  }
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) ? node : undefined;
}

/** What an expression's column stores: its chain's first builder's, or that of the helper it calls. */
export function kindOf(
  expression: ts.Expression,
  sqliteNames: ReadonlyMap<string, string>,
  helperKinds: ReadonlyMap<string, ColumnKind>,
): ColumnKind {
  const root = chainRoot(expression);
  if (!root || !ts.isIdentifier(root.expression)) return "other";
  const sqliteName = sqliteNames.get(root.expression.text);
  if (sqliteName) return mapBuilder(root, sqliteName).kind;
  return helperKinds.get(root.expression.text) ?? "other";
}

/** The pg-core counterpart of one sqlite-core builder call. */
function mapBuilder(call: ts.CallExpression, sqliteName: string): Mapped {
  if (sqliteName === "sqliteTable") return { builder: "pgTable", kind: "other" };
  if (SAME_NAME.has(sqliteName)) return { builder: sqliteName, kind: "other" };
  const [name, options, ...rest] = call.arguments;
  if (!name || rest.length > 0) throw failure(call, `${sqliteName}() with unexpected arguments`);
  const mode = options === undefined ? undefined : modeOf(options, sqliteName);
  const nameOnly = name.getText();
  switch (`${sqliteName}:${mode ?? ""}`) {
    case "text:":
      return { builder: "text", kind: "other" };
    case "text:json":
      return { builder: "jsonb", kind: "json", args: nameOnly };
    case "integer:":
    case "integer:number":
      return { builder: "integer", kind: "other", args: nameOnly };
    case "integer:boolean":
      return { builder: "boolean", kind: "boolean", args: nameOnly };
    case "integer:timestamp_ms":
      return {
        builder: "timestamp",
        kind: "other",
        args: `${nameOnly}, { mode: "date", precision: 3, withTimezone: true }`,
      };
    case "real:":
      return { builder: "doublePrecision", kind: "other" };
    default:
      throw failure(
        call,
        `no PostgreSQL mapping for ${sqliteName}(${mode ? `{ mode: "${mode}" }` : ""}): add one to ` +
          "src/db/postgres/schema-rules.ts, or a helper to both columns.ts files",
      );
  }
}

function modeOf(options: ts.Expression, builder: string): string {
  const only = ts.isObjectLiteralExpression(options) ? options.properties : undefined;
  const mode = only?.[0];
  if (
    only?.length !== 1 ||
    !mode ||
    !ts.isPropertyAssignment(mode) ||
    mode.name.getText() !== "mode" ||
    !ts.isStringLiteral(mode.initializer)
  ) {
    throw failure(options, `${builder}() options other than a literal { mode } are not mapped`);
  }
  return mode.initializer.text;
}

export function failure(node: ts.Node, message: string): SchemaDerivationError {
  const source = node.getSourceFile();
  const { line } = source.getLineAndCharacterOfPosition(node.getStart());
  return new SchemaDerivationError(`src/db/schema/${source.fileName}:${line + 1}: ${message}`);
}

export interface Edit {
  start: number;
  end: number;
  text: string;
}

export function rewriteSqliteCore(
  node: ts.Identifier,
  sqliteName: string,
  pgNames: Map<string, boolean>,
): Edit[] {
  if (sqliteName === "AnySQLiteColumn" && ts.isTypeReferenceNode(node.parent)) {
    pgNames.set("AnyPgColumn", true);
    return [{ start: node.getStart(), end: node.getEnd(), text: "AnyPgColumn" }];
  }
  const call = node.parent;
  if (!ts.isCallExpression(call) || call.expression !== node) {
    throw failure(node, `${sqliteName} used other than as a call: not mapped`);
  }
  const mapped = mapBuilder(call, sqliteName);
  // The timestamp builder is imported under another name: columns.ts's helper is called timestamp.
  const local = mapped.builder === "timestamp" ? "pgTimestamp" : mapped.builder;
  pgNames.set(mapped.builder === "timestamp" ? "timestamp as pgTimestamp" : mapped.builder, false);
  const edits: Edit[] = [{ start: node.getStart(), end: node.getEnd(), text: local }];
  if (mapped.args !== undefined) {
    edits.push({ start: call.arguments.pos, end: call.arguments.end, text: mapped.args });
  }
  return edits;
}

/**
 * A table's SQL in PostgreSQL's words: `::jsonb` on a JSON column's literal default, and `true`/`false`
 * for a boolean column compared with 1/0 (`${t.exclusive} = 1`).
 */
export function rewriteSql(
  node: ts.TaggedTemplateExpression,
  sqliteNames: ReadonlyMap<string, string>,
  helperKinds: ReadonlyMap<string, ColumnKind>,
): Edit[] {
  const template = node.template;
  const call = node.parent;
  if (ts.isNoSubstitutionTemplateLiteral(template)) {
    const isDefault =
      ts.isCallExpression(call) &&
      ts.isPropertyAccessExpression(call.expression) &&
      call.expression.name.text === "default";
    if (isDefault && kindOf(call, sqliteNames, helperKinds) === "json") {
      return [{ start: template.getEnd() - 1, end: template.getEnd() - 1, text: "::jsonb" }];
    }
    return [];
  }
  const columns = columnKindsOfTable(node, sqliteNames, helperKinds);
  const edits: Edit[] = [];
  for (const span of template.templateSpans) {
    const column = ts.isPropertyAccessExpression(span.expression) ? span.expression.name.text : "";
    if (columns.get(column) !== "boolean") continue;
    const match = /^(\s*(?:=|<>|!=)\s*)([01])\b/.exec(span.literal.text);
    if (!match) continue;
    const at = span.literal.getStart() + 1 + (match[1]?.length ?? 0); // after the `}`
    edits.push({ start: at, end: at + 1, text: match[2] === "1" ? "true" : "false" });
  }
  return edits;
}

/** The kinds of the columns of the table whose definition holds `node` (by property name). */
function columnKindsOfTable(
  node: ts.Node,
  sqliteNames: ReadonlyMap<string, string>,
  helperKinds: ReadonlyMap<string, ColumnKind>,
): Map<string, ColumnKind> {
  let table: ts.Node | undefined = node;
  while (
    table &&
    !(
      ts.isCallExpression(table) &&
      ts.isIdentifier(table.expression) &&
      sqliteNames.get(table.expression.text) === "sqliteTable"
    )
  ) {
    table = table.parent;
  }
  const kinds = new Map<string, ColumnKind>();
  const columns = table && ts.isCallExpression(table) ? table.arguments[1] : undefined;
  if (!columns || !ts.isObjectLiteralExpression(columns)) return kinds;
  for (const property of columns.properties) {
    if (ts.isPropertyAssignment(property)) {
      kinds.set(property.name.getText(), kindOf(property.initializer, sqliteNames, helperKinds));
    }
  }
  return kinds;
}
