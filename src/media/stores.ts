// Which MediaStore an instance uses (MEDIA_STORE): the one place that decides, for the server and the CLI.
import { join } from "node:path";
import type { Config } from "../config.ts";
import { S3MediaStore } from "./s3-store.ts";
import { LocalMediaStore, type MediaStore } from "./store.ts";

/** The instance's local media folder, DATA_DIR/media. */
export function localMediaStore(config: Config): LocalMediaStore {
  return new LocalMediaStore(join(config.dataDir, "media"));
}

/** The store MEDIA_STORE names: DATA_DIR/media, or the S3 store of the S3_* variables. */
export function createMediaStore(config: Config): MediaStore {
  if (config.media.store === "s3") {
    // loadConfig refuses MEDIA_STORE=s3 without the S3 settings, so this holds for any loaded Config.
    if (config.s3 === undefined) throw new Error("MEDIA_STORE=s3 without S3 settings");
    return new S3MediaStore(config.s3);
  }
  return localMediaStore(config);
}
