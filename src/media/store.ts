// Where media files live: a content-addressed MediaStore interface (key = sha256 of the bytes plus an
// extension) and its local-disk implementation under DATA_DIR/media; s3-store.ts is the object-store one.
// Nothing else knows where the bytes are.
import { createHash } from "node:crypto";
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";

export type MediaExtension = "png" | "jpg" | "webp" | "avif" | "gif";

export const CONTENT_TYPES: Record<MediaExtension, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  webp: "image/webp",
  avif: "image/avif",
  gif: "image/gif",
};

/** "ab/ab12…(64 hex).webp": the first two hex digits fan files out over 256 folders. */
export const MEDIA_KEY_PATTERN = /^([0-9a-f]{2})\/(\1[0-9a-f]{62})\.(png|jpg|webp|avif|gif)$/;

export interface ParsedMediaKey {
  key: string;
  sha256: string;
  extension: MediaExtension;
  contentType: string;
}

/** Parses a storage key; undefined for anything that is not exactly one of ours (no path tricks). */
export function parseMediaKey(key: string): ParsedMediaKey | undefined {
  const m = MEDIA_KEY_PATTERN.exec(key);
  if (m === null) return undefined;
  const extension = m[3] as MediaExtension;
  return { key, sha256: m[2]!, extension, contentType: CONTENT_TYPES[extension] };
}

/** The key a file with these bytes is stored under. */
export function mediaKeyFor(bytes: Uint8Array, extension: MediaExtension): string {
  const hash = createHash("sha256").update(bytes).digest("hex");
  return `${hash.slice(0, 2)}/${hash}.${extension}`;
}

/** How long a file may be cached, by anyone: a key names its bytes forever. */
export const IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable";

export interface StoredMedia {
  bytes: Buffer;
  contentType: string;
  sha256: string;
}

/** One stored file as a listing names it. */
export interface StoredObject {
  key: string;
  /** Size in bytes. */
  size: number;
  /** When it was written (pruning spares young files, which a row may be about to name). */
  storedAt: Date;
}

/** A stored file being read, for serving it without holding it in memory. */
export interface MediaStream {
  body: ReadableStream<Uint8Array>;
  size: number;
  contentType: string;
  sha256: string;
}

export interface MediaStore {
  /** Stores the bytes and returns their key; storing the same bytes twice stores them once. */
  put(bytes: Uint8Array, extension: MediaExtension): Promise<string>;
  /** The file under `key`, or undefined if there is none (or the key is not a valid one). */
  get(key: string): Promise<StoredMedia | undefined>;
  /** The file under `key` as a stream, or undefined (as `get`). */
  open(key: string): Promise<MediaStream | undefined>;
  has(key: string): Promise<boolean>;
  /** Size and write time of the file under `key`, or undefined. */
  stat(key: string): Promise<StoredObject | undefined>;
  delete(key: string): Promise<void>;
  /** Every stored file (for pruning files no row refers to, and for copying a store). */
  list(): AsyncIterable<StoredObject>;
  /** Releases connections the store holds, if any. */
  close?(): void;
}

/** Files under `root` (DATA_DIR/media), written atomically (temp file + rename). */
export class LocalMediaStore implements MediaStore {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  #path(key: string): string | undefined {
    return parseMediaKey(key) === undefined ? undefined : join(this.root, key);
  }

  async put(bytes: Uint8Array, extension: MediaExtension): Promise<string> {
    const key = mediaKeyFor(bytes, extension);
    const path = join(this.root, key);
    if (await this.has(key)) return key;
    await mkdir(dirname(path), { recursive: true });
    // A reader never sees a half-written file: write beside it, then rename (atomic on one filesystem).
    const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temp, bytes);
    await rename(temp, path);
    return key;
  }

  async get(key: string): Promise<StoredMedia | undefined> {
    const parsed = parseMediaKey(key);
    const path = this.#path(key);
    if (parsed === undefined || path === undefined) return undefined;
    try {
      return {
        bytes: await readFile(path),
        contentType: parsed.contentType,
        sha256: parsed.sha256,
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  async open(key: string): Promise<MediaStream | undefined> {
    const parsed = parseMediaKey(key);
    const path = this.#path(key);
    if (parsed === undefined || path === undefined) return undefined;
    // Size and bytes from one open file: a prune between a stat and an open cannot split them.
    const handle = await open(path, "r").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    if (handle === undefined) return undefined;
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new Error(`${path} is not a file`);
      return {
        body: Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>,
        size: info.size,
        contentType: parsed.contentType,
        sha256: parsed.sha256,
      };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async has(key: string): Promise<boolean> {
    return (await this.stat(key)) !== undefined;
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    const path = this.#path(key);
    if (path === undefined) return undefined;
    try {
      const info = await stat(path);
      return info.isFile() ? { key, size: info.size, storedAt: info.mtime } : undefined;
    } catch {
      return undefined;
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.#path(key);
    if (path !== undefined) await rm(path, { force: true });
  }

  async *list(): AsyncIterable<StoredObject> {
    let folders: string[];
    try {
      folders = await readdir(this.root);
    } catch {
      return;
    }
    for (const folder of folders.sort()) {
      if (!/^[0-9a-f]{2}$/.test(folder)) continue;
      for (const file of (await readdir(join(this.root, folder))).sort()) {
        const key = `${folder}/${file}`;
        // Temp files of an interrupted write are not keys; they are left to the prune by age below.
        if (parseMediaKey(key) === undefined) continue;
        const info = await stat(join(this.root, key)).catch(() => undefined);
        if (info?.isFile()) yield { key, size: info.size, storedAt: info.mtime };
      }
    }
  }
}
