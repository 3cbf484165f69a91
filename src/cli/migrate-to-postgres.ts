// `migrate-to-postgres DATABASE_URL [--media-to-s3]`: copies the instance's SQLite database (DATA_DIR)
// into an empty PostgreSQL database, then (with --media-to-s3) DATA_DIR/media into the S3 store. The
// copy itself is db/postgres/copy-from-sqlite.ts; this file checks the arguments, the target and the
// outcome, and reports.
import { parseArgs } from "node:util";
import { count } from "drizzle-orm";
import {
  closePostgres,
  migratePostgres,
  openPostgres,
  type PostgresDatabase,
} from "../db/postgres/client.ts";
import {
  CopyMismatchError,
  copySqliteToPostgres,
  leftBehind,
  nonEmptyTables,
  TargetNotEmptyError,
} from "../db/postgres/copy-from-sqlite.ts";
import * as sqliteSchema from "../db/schema/index.ts";
import { AppError, conflict } from "../errors.ts";
import { type CliCommand, CliUsageError } from "./command.ts";
import { mediaCopyToS3 } from "./media.ts";

export const migrateToPostgres: CliCommand = {
  usage: "migrate-to-postgres <postgres://…> [--media-to-s3]",
  summary:
    "Copy this SQLite instance into an empty PostgreSQL database (--media-to-s3: and DATA_DIR/media into the S3 store)",
  async run(args, ctx) {
    let parsed: { values: { "media-to-s3"?: boolean | undefined }; positionals: string[] };
    try {
      parsed = parseArgs({
        args,
        options: { "media-to-s3": { type: "boolean" } },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new CliUsageError(`${(error as Error).message}\nUsage: atelier ${this.usage}`);
    }
    const [url, ...rest] = parsed.positionals;
    if (url === undefined || rest.length > 0) {
      throw new CliUsageError(`Expected exactly one database URL.\nUsage: atelier ${this.usage}`);
    }
    const shown = checkedUrl(url);
    const withMedia = parsed.values["media-to-s3"] === true;
    // Before anything is copied: a missing S3 store found after the database copy would leave half a move.
    if (withMedia && ctx.config.s3 === undefined) {
      throw new CliUsageError(
        "--media-to-s3 needs an S3 store: set S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (and S3_ENDPOINT, S3_REGION, S3_FORCE_PATH_STYLE for a store other than AWS S3).",
      );
    }
    // runCli opened (and so created) the database file: an empty one means DATA_DIR names the wrong place.
    const [{ accounts = 0 } = {}] = await ctx.db
      .select({ accounts: count() })
      .from(sqliteSchema.accounts);
    if (accounts === 0) {
      throw new AppError(
        "unprocessable",
        `The SQLite database ${ctx.config.databasePath} holds no accounts: is DATA_DIR right? Nothing was copied.`,
      );
    }

    const started = performance.now();
    const target = await connect(url, shown);
    try {
      ctx.out(`Copying ${ctx.config.databasePath} into ${shown}:`);
      let copied: { name: string; rows: number }[];
      try {
        copied = await copySqliteToPostgres(ctx.db, target, {
          onTable: ({ name, rows }) => ctx.out(`  ${name}: ${rows}`),
        });
      } catch (error) {
        if (error instanceof TargetNotEmptyError) throw refusal(shown, error.tables);
        if (error instanceof CopyMismatchError) {
          throw new AppError(
            "internal",
            `Row counts differ after the copy (${error.message}); the PostgreSQL transaction was rolled back and ${shown} is left empty.`,
          );
        }
        throw new AppError(
          "internal",
          `The copy failed and was rolled back (${shown} is left empty): ${messageOf(error)}`,
        );
      }
      const rows = copied.reduce((sum, t) => sum + t.rows, 0);
      const seconds = (performance.now() - started) / 1000;
      ctx.out(
        `Copied ${rows} row(s) in ${copied.length} tables in ${seconds.toFixed(2)} s; every table's count matches.`,
      );
      const behind = await leftBehind(ctx.db);
      ctx.out(
        `Not copied: ${behind.map((t) => `${t.name} (${t.rows})`).join(", ")}: Fedify's caches, filled again, and the deliveries the SQLite server still has queued.`,
      );
      const queued = behind.find((t) => t.name === "fedify_queue")!.rows;
      if (queued > 0) {
        ctx.out(
          `${queued} federation message(s) are still queued in SQLite: let the server deliver them before it stops for good, or they stay behind.`,
        );
      }
    } finally {
      await closePostgres(target);
    }
    if (withMedia) await mediaCopyToS3.run([], ctx);
  },
};

/** The URL without its password, for messages; refuses what is not a PostgreSQL URL. */
function checkedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliUsageError(
      `Not a database URL: ${JSON.stringify(url)}. Expected postgres://user:password@host:port/database.`,
    );
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new CliUsageError(
      `Not a PostgreSQL URL (${parsed.protocol}): expected postgres://user:password@host:port/database.`,
    );
  }
  if (parsed.password !== "") parsed.password = "***";
  return parsed.toString();
}

/**
 * Connects, refuses a target holding rows BEFORE its migrations run (so nothing is written to it, not
 * even a schema change), then applies the migrations.
 */
async function connect(url: string, shown: string): Promise<PostgresDatabase> {
  // The pool connects lazily: a wrong address or password shows at the first query.
  const target = await openPostgres(url, { migrate: false, maxConnections: 2 });
  try {
    let present: string[];
    try {
      present = await nonEmptyTables((text) => target.$client.query(text));
    } catch (error) {
      throw new AppError("unprocessable", `Cannot use ${shown}: ${messageOf(error)}`);
    }
    if (present.length > 0) throw refusal(shown, present);
    try {
      await migratePostgres(target.$client);
    } catch (error) {
      throw new AppError(
        "unprocessable",
        `Cannot apply the migrations to ${shown}: ${messageOf(error)}`,
      );
    }
    return target;
  } catch (error) {
    await closePostgres(target);
    throw error;
  }
}

function refusal(shown: string, tables: string[]): AppError {
  return conflict(
    `${shown} is not empty (rows in ${tables.join(", ")}): migrate-to-postgres copies only into an empty database. Nothing was written.`,
  );
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    // pg reports a refused connection to each address of "localhost" as one AggregateError.
    return error.errors.map(messageOf).join("; ");
  }
  return error instanceof Error ? error.message || error.name : String(error);
}
