// `dataset export --out FILE.tar [--since DATE]`: the consenting members' public AI images and their
// prompts as a Hugging Face ImageFolder tar (domain/datasets/export.ts decides what goes in).
import { existsSync, statSync } from "node:fs";
import { access, constants } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { exportDataset, parseDatasetSince } from "../domain/datasets/export.ts";
import { AppError } from "../errors.ts";
import { createMediaStore } from "../media/stores.ts";
import { type CliCommand, CliUsageError } from "./command.ts";

export const datasetExport: CliCommand = {
  usage: "dataset export --out <file.tar> [--since <date>]",
  summary:
    "Export consenting members' public AI images and prompts (Hugging Face ImageFolder tar with metadata.jsonl and a datasheet)",
  async run(args, ctx) {
    let values: { out?: string | undefined; since?: string | undefined };
    try {
      ({ values } = parseArgs({
        args,
        options: { out: { type: "string" }, since: { type: "string" } },
        strict: true,
        allowPositionals: false,
      }));
    } catch (error) {
      throw new CliUsageError(`${(error as Error).message}\nUsage: atelier ${this.usage}`);
    }
    if (values.out === undefined || values.out === "") {
      throw new CliUsageError(`--out is required.\nUsage: atelier ${this.usage}`);
    }
    let since: Date | undefined;
    try {
      since = values.since === undefined ? undefined : parseDatasetSince(values.since);
    } catch (error) {
      throw new CliUsageError(`--since: ${(error as Error).message}`);
    }
    const out = resolve(values.out);
    const folder = dirname(out);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) {
      throw new AppError(
        "unprocessable",
        `Cannot write ${out}: the folder ${folder} does not exist.`,
      );
    }
    if (existsSync(out) && statSync(out).isDirectory()) {
      throw new AppError("unprocessable", `${out} is a folder; give the export a file name.`);
    }
    try {
      await access(folder, constants.W_OK);
    } catch {
      throw new AppError(
        "unprocessable",
        `Cannot write ${out}: the folder ${folder} is not writable.`,
      );
    }
    const store = createMediaStore(ctx.config);
    try {
      const result = await exportDataset(
        {
          db: ctx.db,
          store,
          instance: {
            name: ctx.config.instanceName,
            origin: ctx.config.origin,
            domain: ctx.config.domain,
          },
        },
        { out, ...(since !== undefined ? { since } : {}) },
      );
      ctx.out(
        `Exported ${result.images} image(s) by ${result.contributors} member(s) to ${out} (${result.bytes} bytes).`,
      );
      if (result.missingFiles > 0) {
        ctx.out(
          `${result.missingFiles} image(s) were left out: their file is missing from the store.`,
        );
      }
    } finally {
      store.close?.();
    }
  },
};
