// The MediaStore on any S3-compatible object store (AWS S3, MinIO, Garage, Ceph, R2…): one object per
// content-addressed key, in one bucket. Objects carry their Content-Type and an immutable Cache-Control
// (a key names its bytes forever), so a bucket or CDN can serve them to browsers directly.
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import type { S3Config } from "../config.ts";
import {
  IMMUTABLE_CACHE_CONTROL,
  type MediaExtension,
  type MediaStore,
  type MediaStream,
  mediaKeyFor,
  parseMediaKey,
  type StoredMedia,
  type StoredObject,
} from "./store.ts";

export interface S3StoreOptions {
  /** Longest one operation (all retries included) or a silent connection may take; default 30 s. */
  timeoutMs?: number;
  /** Keys per ListObjectsV2 page; default 1000, S3's largest. */
  listPageSize?: number;
}

/** A failed S3 call, naming the operation, key, bucket and what the store answered. */
export class MediaStoreError extends Error {
  override name = "MediaStoreError";
  /** The store's HTTP status, when it answered. */
  readonly status: number | undefined;

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
  }
}

const DEFAULT_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 5_000;

export class S3MediaStore implements MediaStore {
  readonly bucket: string;
  readonly #client: S3Client;
  readonly #timeoutMs: number;
  readonly #listPageSize: number;

  constructor(settings: S3Config, options: S3StoreOptions = {}) {
    this.bucket = settings.bucket;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#listPageSize = options.listPageSize ?? 1000;
    this.#client = new S3Client({
      ...(settings.endpoint !== undefined ? { endpoint: settings.endpoint } : {}),
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      credentials: {
        accessKeyId: settings.accessKeyId,
        secretAccessKey: settings.secretAccessKey,
      },
      // The SDK's default adds CRC32 checksums that several S3-compatible stores reject; TLS and the
      // content hash in the key already cover integrity.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, socketTimeout: this.#timeoutMs },
    });
  }

  async put(bytes: Uint8Array, extension: MediaExtension): Promise<string> {
    const key = mediaKeyFor(bytes, extension);
    const parsed = parseMediaKey(key)!;
    // Written even when present: one request instead of a HEAD and a PUT, and the fresh LastModified
    // keeps a prune (which spares young objects) off a file a new row is about to name.
    await this.#send("PutObject", key, (abortSignal) =>
      this.#client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: bytes,
          ContentLength: bytes.byteLength,
          ContentType: parsed.contentType,
          CacheControl: IMMUTABLE_CACHE_CONTROL,
        }),
        { abortSignal },
      ),
    );
    return key;
  }

  async get(key: string): Promise<StoredMedia | undefined> {
    const parsed = parseMediaKey(key);
    if (parsed === undefined) return undefined;
    const bytes = await this.#send("GetObject", key, async (abortSignal) => {
      const out = await this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
        abortSignal,
      });
      return out.Body === undefined ? new Uint8Array() : await out.Body.transformToByteArray();
    });
    if (bytes === undefined) return undefined;
    return { bytes: Buffer.from(bytes), contentType: parsed.contentType, sha256: parsed.sha256 };
  }

  async open(key: string): Promise<MediaStream | undefined> {
    const parsed = parseMediaKey(key);
    if (parsed === undefined) return undefined;
    // The deadline covers the answer's headers only: the body may take as long as its reader needs
    // while bytes keep moving (a connection idle for the timeout is still closed).
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error(`no answer within ${this.#timeoutMs} ms`)),
      this.#timeoutMs,
    );
    try {
      const out = await this.#send("GetObject", key, () =>
        this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
          abortSignal: controller.signal,
        }),
      );
      if (out === undefined) return undefined;
      if (out.Body === undefined) throw this.#error("GetObject", key, "the answer has no body");
      return {
        body: out.Body.transformToWebStream() as ReadableStream<Uint8Array>,
        size: out.ContentLength ?? 0,
        contentType: parsed.contentType,
        sha256: parsed.sha256,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  async has(key: string): Promise<boolean> {
    return (await this.stat(key)) !== undefined;
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    if (parseMediaKey(key) === undefined) return undefined;
    const out = await this.#send("HeadObject", key, (abortSignal) =>
      this.#client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }), { abortSignal }),
    );
    if (out === undefined) return undefined;
    return { key, size: out.ContentLength ?? 0, storedAt: out.LastModified ?? new Date(0) };
  }

  async delete(key: string): Promise<void> {
    if (parseMediaKey(key) === undefined) return;
    // S3 answers 204 for a key that is not there, which is what deleting it twice should do.
    await this.#send("DeleteObject", key, (abortSignal) =>
      this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }), {
        abortSignal,
      }),
    );
  }

  async *list(): AsyncIterable<StoredObject> {
    let token: string | undefined;
    do {
      const page = await this.#send("ListObjectsV2", undefined, (abortSignal) =>
        this.#client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            MaxKeys: this.#listPageSize,
            ...(token !== undefined ? { ContinuationToken: token } : {}),
          }),
          { abortSignal },
        ),
      );
      for (const object of page?.Contents ?? []) {
        // A shared bucket may hold other things: only our keys are ours to list (and prune).
        if (object.Key === undefined || parseMediaKey(object.Key) === undefined) continue;
        yield {
          key: object.Key,
          size: object.Size ?? 0,
          storedAt: object.LastModified ?? new Date(0),
        };
      }
      token = page?.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  /** Releases the client's connections. */
  close(): void {
    this.#client.destroy();
  }

  /**
   * Runs one S3 call under the deadline; a missing key is undefined, any other failure a
   * MediaStoreError that says what was asked and what the store answered.
   */
  async #send<T>(
    operation: string,
    key: string | undefined,
    call: (abortSignal: AbortSignal) => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await call(AbortSignal.timeout(this.#timeoutMs));
    } catch (error) {
      if (
        error instanceof S3ServiceException &&
        (error.name === "NoSuchKey" || error.name === "NotFound") &&
        key !== undefined
      ) {
        return undefined;
      }
      throw this.#error(operation, key, describe(error, this.#timeoutMs), error);
    }
  }

  #error(operation: string, key: string | undefined, what: string, cause?: unknown) {
    const target =
      key === undefined ? `bucket "${this.bucket}"` : `"${key}" in bucket "${this.bucket}"`;
    const status = cause instanceof S3ServiceException ? cause.$metadata.httpStatusCode : undefined;
    return new MediaStoreError(`S3 ${operation} of ${target} failed: ${what}`, {
      ...(status !== undefined ? { status } : {}),
      cause,
    });
  }
}

function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof S3ServiceException) {
    const status = error.$metadata.httpStatusCode;
    return `${error.name}${status !== undefined ? ` (HTTP ${status})` : ""}: ${error.message}`;
  }
  if (error instanceof Error) {
    if (error.name === "TimeoutError" || error.name === "AbortError") {
      return `no answer within ${timeoutMs} ms`;
    }
    const code = (error as NodeJS.ErrnoException).code;
    return code !== undefined ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
