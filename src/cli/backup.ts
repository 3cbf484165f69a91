// `backup FILE [--force]`: a consistent copy of the SQLite database, taken while the server runs, with
// SQLite's online backup API (better-sqlite3's backup()). The copy is written beside FILE under a
// temporary name and moved into place only once complete and checked, so FILE is never half-written.
import { existsSync, linkSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import Sqlite from "better-sqlite3";
import { AppError, conflict } from "../errors.ts";
import { type CliCommand, CliUsageError } from "./command.ts";

// All remaining pages in one step: the copy then reads one snapshot under one read transaction. In WAL
// mode that blocks no writer; copied in small steps, every write by the server would restart it.
const ALL_PAGES = 2 ** 30;

export const backup: CliCommand = {
  usage: "backup <file> [--force]",
  summary: "Copy the database, consistently, while the server runs (--force replaces <file>)",
  async run(args, ctx) {
    let parsed: { values: { force?: boolean | undefined }; positionals: string[] };
    try {
      parsed = parseArgs({
        args,
        options: { force: { type: "boolean" } },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new CliUsageError(`${(error as Error).message}\nUsage: atelier ${this.usage}`);
    }
    const [name, ...rest] = parsed.positionals;
    if (name === undefined || name === "" || rest.length > 0) {
      throw new CliUsageError(`Expected exactly one file.\nUsage: atelier ${this.usage}`);
    }
    // The SQLite file is what this copies; a PostgreSQL store has pg_dump for that.
    if (ctx.config.databaseUrl !== undefined) {
      throw new AppError(
        "unprocessable",
        "The store is PostgreSQL (DATABASE_URL): back it up with pg_dump; this copies SQLite only.",
      );
    }
    const file = resolve(name);
    const source = ctx.config.databasePath;
    if (file === source || file.startsWith(`${source}-`)) {
      throw new AppError("unprocessable", `${file} is the database itself; choose another file.`);
    }
    const folder = dirname(file);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) {
      throw new AppError(
        "unprocessable",
        `Cannot write ${file}: the folder ${folder} does not exist.`,
      );
    }
    if (existsSync(file)) {
      if (statSync(file).isDirectory()) {
        throw new AppError("unprocessable", `${file} is a folder; give the backup a file name.`);
      }
      if (parsed.values.force !== true) {
        throw conflict(`${file} already exists; pass --force to replace it.`);
      }
    }
    const partial = join(folder, `.${basename(file)}.${process.pid}.partial`);
    const started = performance.now();
    // A connection of its own: the backup reads the file as any other process would.
    const db = new Sqlite(source, { readonly: true, fileMustExist: true });
    try {
      await db.backup(partial, { progress: () => ALL_PAGES });
    } catch (error) {
      rmSync(partial, { force: true });
      throw new AppError(
        "unprocessable",
        `Cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      db.close();
    }
    try {
      const copy = new Sqlite(partial, { readonly: true, fileMustExist: true });
      try {
        const check = copy.pragma("quick_check", { simple: true });
        if (check !== "ok") throw new Error(`the copy failed its check: ${String(check)}`);
      } finally {
        copy.close();
      }
      if (parsed.values.force === true) renameSync(partial, file);
      else {
        // A link fails if FILE appeared meanwhile: nothing is ever overwritten without --force.
        linkSync(partial, file);
        rmSync(partial);
      }
    } catch (error) {
      rmSync(partial, { force: true });
      if ((error as NodeJS.ErrnoException).code === "EEXIST") {
        throw conflict(`${file} already exists; pass --force to replace it.`);
      }
      throw error;
    }
    const seconds = (performance.now() - started) / 1000;
    ctx.out(
      `Backed up ${source} to ${file}: ${formatBytes(statSync(file).size)} in ${seconds.toFixed(2)} s.`,
    );
  },
};

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
