// `media copy-to-s3`: copies DATA_DIR/media into the S3 store the S3_* variables name, before an instance
// switches to MEDIA_STORE=s3 (or to finish a copy that was interrupted: present files are skipped).
import { AppError } from "../errors.ts";
import { copyMediaStore } from "../media/copy.ts";
import { S3MediaStore } from "../media/s3-store.ts";
import { localMediaStore } from "../media/stores.ts";
import { type CliCommand, CliUsageError } from "./command.ts";

// A line every this many files, so a long copy shows it is moving.
const PROGRESS_EVERY = 500;

export const mediaCopyToS3: CliCommand = {
  usage: "media copy-to-s3",
  summary:
    "Copy every file of DATA_DIR/media into the S3 store of the S3_* variables (files already there are skipped)",
  async run(args, ctx) {
    if (args.length > 0) throw new CliUsageError(`Usage: atelier ${this.usage}`);
    const s3 = ctx.config.s3;
    if (s3 === undefined) {
      throw new CliUsageError(
        "No S3 store is configured: set S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (and S3_ENDPOINT, S3_REGION, S3_FORCE_PATH_STYLE for a store other than AWS S3).",
      );
    }
    const from = localMediaStore(ctx.config);
    const to = new S3MediaStore(s3);
    try {
      const result = await copyMediaStore(from, to, {
        onProgress: ({ done }) => {
          if (done % PROGRESS_EVERY === 0) ctx.out(`… ${done} file(s)`);
        },
      });
      ctx.out(
        `Copied ${result.copied} file(s) (${formatBytes(result.bytes)}) from ${from.root} to S3 bucket "${s3.bucket}"; ${result.skipped} already there.`,
      );
      if (result.vanished.length > 0) {
        ctx.out(`${result.vanished.length} file(s) were removed while copying (a prune?).`);
      }
      if (result.corrupt.length > 0) {
        throw new AppError(
          "unprocessable",
          `${result.corrupt.length} file(s) do not match their content hash and were not copied:\n${result.corrupt.map((k) => `  ${k}`).join("\n")}`,
        );
      }
    } finally {
      to.close();
    }
  },
};

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
