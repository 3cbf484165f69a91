// What every CLI command gets and how it reports: output goes through `out`/`err` so tests can read it,
// usage mistakes are CliUsageError (exit 2), domain errors are AppError (exit 1).
import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import type { LocalUrls } from "../domain/local-urls.ts";

export interface CliContext {
  config: Config;
  db: Database;
  urls: LocalUrls;
  out: (line: string) => void;
  err: (line: string) => void;
}

export class CliUsageError extends Error {
  override name = "CliUsageError";
}

export interface CliCommand {
  /** e.g. "user create <username> --password <pw> [--admin]" */
  usage: string;
  summary: string;
  run(args: string[], ctx: CliContext): Promise<void>;
}
