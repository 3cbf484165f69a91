// The only reader of process.env: turns the environment (and an optional .env file) into a frozen,
// validated Config. Everything else receives the Config it needs as an argument.
import { existsSync, readFileSync } from "node:fs";
import { isIPv4, isIPv6 } from "node:net";
import { resolve } from "node:path";
import { parseEnv } from "node:util";
import { z } from "zod";

const booleanString = z
  .enum(["true", "false", "1", "0", "yes", "no", ""], {
    error: "must be true or false",
  })
  .transform((v) => v === "true" || v === "1" || v === "yes");

function positiveInt(what: string) {
  return z.coerce
    .number({ error: `must be ${what}` })
    .int({ error: `must be ${what}` })
    .min(1, { error: `must be ${what}` });
}

/** Prices in US dollars per image: model → quality → size ("*" matches any quality or size). */
const imagePricesSchema = z.record(
  z.string().min(1),
  z.record(z.string().min(1), z.record(z.string().min(1), z.number().min(0).max(100))),
);
export type ImagePrices = z.infer<typeof imagePricesSchema>;

// OpenAI's published prices per image (USD, November 2026); IMAGE_PRICES overrides or extends them.
export const DEFAULT_IMAGE_PRICES: ImagePrices = {
  "gpt-image-1": {
    low: { "1024x1024": 0.011, "1024x1536": 0.016, "1536x1024": 0.016, "*": 0.016 },
    medium: { "1024x1024": 0.042, "1024x1536": 0.063, "1536x1024": 0.063, "*": 0.063 },
    high: { "1024x1024": 0.167, "1024x1536": 0.25, "1536x1024": 0.25, "*": 0.25 },
    // "auto" lets the model pick; count it at the highest price so the budget errs on the safe side.
    "*": { "1024x1024": 0.167, "*": 0.25 },
  },
  "gpt-image-1-mini": {
    low: { "1024x1024": 0.005, "*": 0.006 },
    medium: { "1024x1024": 0.011, "*": 0.015 },
    high: { "1024x1024": 0.036, "*": 0.052 },
    "*": { "*": 0.052 },
  },
  "dall-e-3": {
    standard: { "1024x1024": 0.04, "*": 0.08 },
    hd: { "1024x1024": 0.08, "*": 0.12 },
    "*": { "1024x1024": 0.04, "*": 0.08 },
  },
  "dall-e-2": { "*": { "256x256": 0.016, "512x512": 0.018, "*": 0.02 } },
  local: { "*": { "*": 0 } },
};

/** Which background work a process runs (see src/deps.ts): everything, HTTP only, or no HTTP. */
const roles = ["all", "web", "worker"] as const;
export type Role = (typeof roles)[number];

/** How new accounts are made (Mastodon's registration modes, plus invite-only). */
export const REGISTRATION_MODES = ["open", "approval", "invite", "closed"] as const;
export type RegistrationMode = (typeof REGISTRATION_MODES)[number];

const logLevels = ["trace", "debug", "info", "warning", "error", "fatal"] as const;

/** Who may read the list of blocked domains (and their reasons): Mastodon's three choices. */
const audiences = ["disabled", "users", "all"] as const;
export type Audience = (typeof audiences)[number];

/** What the environment may say; every key is a string or absent, as in process.env. */
const environmentSchema = z.object({
  PORT: z.coerce
    .number({ error: "must be a whole number between 1 and 65535" })
    .int({ error: "must be a whole number between 1 and 65535" })
    .min(1, { error: "must be a whole number between 1 and 65535" })
    .max(65535, { error: "must be a whole number between 1 and 65535" })
    .default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  ORIGIN: z
    .url({
      protocol: /^https?$/,
      error: "must be an absolute http(s) URL such as https://atelier.example",
    })
    .optional(),
  DATA_DIR: z.string().min(1, { error: "must not be empty" }).default("./data"),
  LOG_LEVEL: z.enum(logLevels, { error: `must be one of ${logLevels.join(", ")}` }).default("info"),
  INSTANCE_NAME: z.string().min(1).max(100).default("Atelier"),
  REGISTRATIONS: z
    .enum(REGISTRATION_MODES, { error: `must be one of ${REGISTRATION_MODES.join(", ")}` })
    .default("approval"),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" }).optional(),
  MAIL_FROM: z.string().min(3).max(200).optional(),
  IMAGE_PROVIDER: z
    .enum(["local", "openai"], { error: "must be local or openai" })
    .default("local"),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z
    .url({ protocol: /^https?$/, error: "must be an absolute http(s) URL" })
    .optional(),
  FEDERATION_ALLOW_PRIVATE_ADDRESS: booleanString.default(false),
  AUTHORIZED_FETCH: booleanString.default(false),
  LIMITED_FEDERATION_MODE: booleanString.default(false),
  TRENDS_REVIEW: booleanString.default(false),
  SUSPENDED_ACCOUNT_DELETE_DAYS: positiveInt("a whole number of days, at least 1").default(30),
  OPENAI_IMAGE_MODEL: z.string().min(1).max(100).default("gpt-image-1"),
  OPENAI_TIMEOUT_SECONDS: positiveInt("a whole number of seconds, at least 1").default(120),
  OPENAI_VISION_MODEL: z.string().min(1).max(100).optional(),
  GENERATION_OUTPUT_POLICY: z
    .enum(["block", "sensitive"], { error: "must be block or sensitive" })
    .default("block"),
  GENERATION_OUTPUT_HOOK: z.string().min(1).optional(),
  GENERATION_DAILY_QUOTA: z.coerce
    .number({ error: "must be a whole number (0 = no limit)" })
    .int({ error: "must be a whole number (0 = no limit)" })
    .min(0, { error: "must be a whole number (0 = no limit)" })
    .default(50),
  GENERATION_CONCURRENCY: positiveInt("a whole number between 1 and 16").max(16).default(2),
  GENERATION_MONTHLY_BUDGET_USD: z.coerce
    .number({ error: "must be a number of US dollars" })
    .min(0, { error: "must not be negative" })
    .optional(),
  IMAGE_PRICES: z.string().optional(),
  AI_HASHTAG: z
    .string()
    .regex(/^#?[\p{L}\p{N}_]*[\p{L}_][\p{L}\p{N}_]*$/u, {
      error: "must be one hashtag word (letters, digits, underscores), e.g. AIart",
    })
    .default("AIart"),
  MAX_MEDIA_ATTACHMENTS: positiveInt("a whole number between 1 and 20").max(20).default(4),
  MEDIA_MAX_UPLOAD_MB: z.coerce
    .number({ error: "must be a number of megabytes" })
    .positive({ error: "must be a positive number of megabytes" })
    .max(200, { error: "must be at most 200" })
    .default(16),
  MEDIA_MAX_PIXELS: positiveInt("a whole number of pixels")
    .min(1_000_000, { error: "must be at least 1000000" })
    .default(50_000_000),
  MEDIA_STORE: z.enum(["local", "s3"], { error: "must be local or s3" }).default("local"),
  S3_ENDPOINT: z.url({ protocol: /^https?$/, error: "must be an absolute http(s) URL" }).optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  S3_BUCKET: z.string().min(1).optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: booleanString.default(false),
  S3_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: "must be an absolute http(s) URL" })
    .optional(),
  TRUSTED_PROXIES: z.string().optional(),
  SHOW_DOMAIN_BLOCKS: z
    .enum(audiences, { error: "must be disabled, users or all" })
    .default("users"),
  SHOW_DOMAIN_BLOCK_REASONS: z
    .enum(audiences, { error: "must be disabled, users or all" })
    .default("disabled"),
  ROLE: z.enum(roles, { error: "must be all, web or worker" }).default("all"),
  DATABASE_URL: z
    .url({
      protocol: /^postgres(ql)?$/,
      error:
        "must be a postgres:// or postgresql:// URL such as postgres://atelier@127.0.0.1:5432/atelier",
    })
    .optional(),
  REDIS_URL: z
    .url({
      protocol: /^rediss?$/,
      error: "must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379",
    })
    .optional(),
  FEDERATION_QUEUE_LEASE_SECONDS: positiveInt("a whole number of seconds, at least 1").default(60),
  API_RATE_LIMIT: z.coerce
    .number({ error: "must be a whole number of requests (at least 1)" })
    .int({ error: "must be a whole number of requests (at least 1)" })
    .min(1, { error: "must be a whole number of requests (at least 1)" })
    .default(300),
});

// Values never echoed in an error message: they may hold a password (postgres://user:secret@…).
const SECRET_VARIABLES = new Set(["DATABASE_URL"]);

export type LogLevel = (typeof logLevels)[number];

/** An S3-compatible object store (S3_* variables). */
export interface S3Config {
  /** e.g. https://s3.example or http://127.0.0.1:9000; undefined = AWS S3 of `region`. */
  readonly endpoint?: string;
  readonly region: string;
  readonly bucket: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Path-style requests (endpoint/bucket/key) instead of virtual-hosted ones (bucket.endpoint/key). */
  readonly forcePathStyle: boolean;
}

// Without these an S3 store cannot be reached; endpoint, region and path style have defaults (AWS's).
const S3_REQUIRED = ["S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"] as const;

export interface Config {
  /** TCP port the HTTP server listens on. */
  readonly port: number;
  /** Interface the HTTP server binds to. */
  readonly host: string;
  /** Public origin of the instance (scheme, host and port; no path), e.g. https://atelier.example. */
  readonly origin: string;
  /** The host part of the origin as fediverse handles use it (`alice@host`), port included. */
  readonly domain: string;
  /** Absolute path of the folder holding the SQLite database and media. */
  readonly dataDir: string;
  /** Absolute path of the SQLite database file (unused when databaseUrl is set). */
  readonly databasePath: string;
  /** PostgreSQL (postgres://…), when set: the store instead of the SQLite file. */
  readonly databaseUrl?: string;
  readonly logLevel: LogLevel;
  /** all: one process does everything; web: HTTP only; worker: background work only. */
  readonly role: Role;
  /**
   * Redis, when set: Fedify's key-value store and message queue, and the bus between processes
   * (streaming fan-out, cache invalidation, wake-ups), shared by several processes.
   */
  readonly redisUrl?: string;
  /**
   * How long a worker holds a message of the shared (Redis or PostgreSQL) federation queue without
   * renewing its claim (it renews every third of it while the handler runs): what a killed worker's
   * messages wait before another worker takes them.
   */
  readonly federationQueueLeaseMs: number;
  readonly instanceName: string;
  /**
   * How new accounts are made until an administrator picks another mode on the admin page: `open`,
   * `approval` (an administrator approves each), `invite` (with an invite link) or `closed`.
   */
  readonly registrations: RegistrationMode;
  /**
   * Where e-mail goes: an SMTP server, or (without SMTP_URL) .eml files in DATA_DIR/mail. `from` is
   * MAIL_FROM, or "INSTANCE_NAME <notifications@domain>".
   */
  readonly mail: { readonly smtpUrl?: string; readonly from: string };
  readonly imageProvider: "local" | "openai";
  readonly openai: { readonly apiKey?: string; readonly baseUrl?: string };
  /** Let Fedify fetch loopback/private addresses: only for several instances on one test machine. */
  readonly federationAllowPrivateAddress: boolean;
  /**
   * Hashtags trend only once an administrator approved them (Mastodon with trendable_by_default off);
   * false (the default): any tag trends unless rejected, which suits an instance nobody reviews.
   */
  readonly trendsReview: boolean;
  /** Days after which a suspended local account's data is deleted (domain/suspension-cleanup.ts). */
  readonly suspendedAccountDeleteDays: number;
  /**
   * Secure mode (Mastodon's AUTHORIZED_FETCH): actors, statuses and collections are served only to
   * requests signed by a server that is not domain-blocked. On whenever limitedFederationMode is.
   */
  readonly authorizedFetch: boolean;
  /**
   * Mastodon's limited federation mode: the instance federates only with the domains an administrator
   * allowed (domain/federation-policy.ts), and its client API answers only signed-in users.
   */
  readonly limitedFederationMode: boolean;
  readonly generation: {
    /** Model used with IMAGE_PROVIDER=openai unless a request names another. */
    readonly openaiModel: string;
    readonly openaiTimeoutMs: number;
    /** Chat model that drafts alt text from a generated image (IMAGE_PROVIDER=openai); undefined = none. */
    readonly openaiVisionModel?: string;
    /**
     * What happens to a generated image that output moderation flags: `block` (it cannot be posted) or
     * `sensitive` (posted sensitive, with a content warning naming the categories).
     */
    readonly outputPolicy: "block" | "sensitive";
    /** Absolute path of an executable that checks a generated image (PNG on stdin, JSON verdict out). */
    readonly outputHook?: string;
    /** Images a user may generate per UTC day; 0 = no limit. */
    readonly dailyQuota: number;
    /** Generation jobs running at once in this process. */
    readonly concurrency: number;
    /** Spending per calendar month (UTC) above which paid generation stops; undefined = no cap. */
    readonly monthlyBudgetUsd?: number;
    /** Price table (built-in merged with IMAGE_PRICES). */
    readonly prices: ImagePrices;
  };
  readonly media: {
    /** Largest accepted upload, in bytes. */
    readonly maxUploadBytes: number;
    /** Largest accepted image, in pixels (width × height): the decompression-bomb guard. */
    readonly maxPixels: number;
    /** Images per status. */
    readonly maxAttachments: number;
    /** Where files live: DATA_DIR/media or the S3 store in `s3`. */
    readonly store: "local" | "s3";
    /**
     * Base URL (no trailing slash) browsers and remote servers fetch files from instead of this
     * server's /media (S3_PUBLIC_URL, with MEDIA_STORE=s3); undefined = /media.
     */
    readonly publicUrl?: string;
  };
  /**
   * The S3 store, when MEDIA_STORE=s3 or the S3_* variables name one (`media copy-to-s3` copies
   * DATA_DIR/media there before the switch).
   */
  readonly s3?: S3Config;
  /** Hashtag (without '#') added to every post carrying an AI-generated image. */
  readonly aiHashtag: string;
  /** Client API requests allowed per token (or address) in each 5-minute window. */
  readonly apiRateLimit: number;
  /**
   * Networks (CIDR, normalized: "127.0.0.0/8", "::1/128") of the reverse proxies whose
   * X-Forwarded-For is believed; a request from any other peer is that peer's own.
   */
  readonly trustedProxies: readonly string[];
  /**
   * Who may read /api/v1/instance/domain_blocks (`domains`) and the reasons given (`reasons`): nobody,
   * signed-in users or everyone, as Mastodon's "show domain blocks" and "show rationale" settings.
   */
  readonly domainBlocksShown: { readonly domains: Audience; readonly reasons: Audience };
}

// Loopback only: a proxy on the same machine, the usual nginx or Caddy in front of `npm start`.
const DEFAULT_TRUSTED_PROXIES = "127.0.0.0/8,::1";

/** "10.0.0.0/8, fd00::/8, 192.0.2.7" (or "none") → normalized CIDRs; null when an entry is not one. */
export function parseTrustedProxies(value: string): string[] | null {
  // "none": no proxy is trusted, X-Forwarded-For is never read (the server faces the internet itself).
  if (value.trim().toLowerCase() === "none") return [];
  const out: string[] = [];
  for (const raw of value.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const [address = "", prefix, extra] = entry.split("/");
    if (extra !== undefined) return null;
    const bits = isIPv4(address) ? 32 : isIPv6(address) ? 128 : 0;
    if (bits === 0) return null;
    if (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) return null;
    const length = prefix === undefined ? bits : Number(prefix);
    if (length > bits) return null;
    out.push(`${address.toLowerCase()}/${length}`);
  }
  return out.length > 0 ? out : null;
}

/** Raised when the environment does not describe a valid configuration; lists every problem. */
export class ConfigError extends Error {
  readonly problems: readonly { variable: string; message: string }[];
  constructor(problems: { variable: string; message: string }[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join("\n")}`,
    );
    this.name = "ConfigError";
    this.problems = problems;
  }
}

export interface LoadConfigOptions {
  /** The environment to read; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** A .env file whose values apply where the environment has none; defaults to ./.env if present. */
  envFile?: string | null;
  /** Base folder for relative paths (DATA_DIR); defaults to the working directory. */
  cwd?: string;
}

/** Reads, validates and freezes the configuration. Throws ConfigError naming each bad variable. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const env: Record<string, string | undefined> = { ...(options.env ?? process.env) };
  const envFile = options.envFile === undefined ? resolve(cwd, ".env") : options.envFile;
  if (envFile !== null && existsSync(envFile)) {
    // Real environment variables win over the file, as with dotenv.
    const fromFile = parseEnv(readFileSync(envFile, "utf8"));
    for (const [key, value] of Object.entries(fromFile)) {
      if (env[key] === undefined) env[key] = value;
    }
  }
  // An empty variable (`PORT=`) means "not set", which is what people who write it intend.
  const relevant: Record<string, string> = {};
  for (const key of Object.keys(environmentSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== "") relevant[key] = value.trim();
  }
  const parsed = environmentSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? "(environment)"),
        message: `${issue.message}${
          issue.path[0] !== undefined &&
          relevant[String(issue.path[0])] !== undefined &&
          !SECRET_VARIABLES.has(String(issue.path[0]))
            ? ` (got ${JSON.stringify(relevant[String(issue.path[0])])})`
            : ""
        }`,
      })),
    );
  }
  const e = parsed.data;
  const problems: { variable: string; message: string }[] = [];
  let origin = `http://localhost:${e.PORT}`;
  if (e.ORIGIN !== undefined) {
    const url = new URL(e.ORIGIN);
    if (url.pathname !== "/" || url.search !== "" || url.hash !== "") {
      problems.push({
        variable: "ORIGIN",
        message: "must be an origin only (scheme, host, port), without a path, query or fragment",
      });
    }
    origin = url.origin;
  }
  if (e.IMAGE_PROVIDER === "openai" && e.OPENAI_API_KEY === undefined && !e.OPENAI_BASE_URL) {
    problems.push({
      variable: "OPENAI_API_KEY",
      message:
        "is required when IMAGE_PROVIDER=openai (unless OPENAI_BASE_URL names a server that needs none)",
    });
  }
  let prices: ImagePrices = DEFAULT_IMAGE_PRICES;
  if (e.IMAGE_PRICES !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(e.IMAGE_PRICES);
    } catch {
      json = undefined;
    }
    const parsedPrices = imagePricesSchema.safeParse(json);
    if (parsedPrices.success) {
      // An override replaces a model's whole table, so a partial table never mixes with stale prices.
      prices = { ...DEFAULT_IMAGE_PRICES, ...parsedPrices.data };
    } else {
      problems.push({
        variable: "IMAGE_PRICES",
        message:
          'must be JSON like {"gpt-image-1":{"high":{"1024x1024":0.167,"*":0.25}}} (model → quality → size → US dollars per image, "*" for any)',
      });
    }
  }
  const trustedProxies = parseTrustedProxies(e.TRUSTED_PROXIES ?? DEFAULT_TRUSTED_PROXIES);
  if (trustedProxies === null) {
    problems.push({
      variable: "TRUSTED_PROXIES",
      message: `must be comma-separated IPv4 or IPv6 addresses or CIDR networks, e.g. 127.0.0.0/8,::1,10.0.0.0/8 (got ${JSON.stringify(e.TRUSTED_PROXIES)})`,
    });
  }
  const s3 = s3Settings(e, problems);
  let mediaPublicUrl: string | undefined;
  if (e.MEDIA_STORE === "s3" && e.S3_PUBLIC_URL !== undefined) {
    const url = new URL(e.S3_PUBLIC_URL);
    if (url.search !== "" || url.hash !== "") {
      problems.push({ variable: "S3_PUBLIC_URL", message: "must not have a query or fragment" });
    } else if (url.protocol === "http:" && origin.startsWith("https:")) {
      // Browsers block (or warn about) http images on an https page, and the pages' CSP allows https: only.
      problems.push({
        variable: "S3_PUBLIC_URL",
        message: "must be an https URL when ORIGIN is https",
      });
    }
    mediaPublicUrl = url.href.replace(/\/+$/, "");
  }
  if (problems.length > 0 || trustedProxies === null) throw new ConfigError(problems);
  const dataDir = resolve(cwd, e.DATA_DIR);
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    origin,
    domain: new URL(origin).host,
    dataDir,
    databasePath: resolve(dataDir, "atelier.sqlite"),
    logLevel: e.LOG_LEVEL,
    role: e.ROLE,
    ...(e.DATABASE_URL !== undefined ? { databaseUrl: e.DATABASE_URL } : {}),
    ...(e.REDIS_URL !== undefined ? { redisUrl: e.REDIS_URL } : {}),
    federationQueueLeaseMs: e.FEDERATION_QUEUE_LEASE_SECONDS * 1000,
    instanceName: e.INSTANCE_NAME,
    registrations: e.REGISTRATIONS,
    mail: Object.freeze({
      ...(e.SMTP_URL !== undefined ? { smtpUrl: e.SMTP_URL } : {}),
      from:
        e.MAIL_FROM ??
        `"${e.INSTANCE_NAME.replace(/["\\]/g, "")}" <notifications@${new URL(origin).hostname}>`,
    }),
    imageProvider: e.IMAGE_PROVIDER,
    openai: Object.freeze({
      ...(e.OPENAI_API_KEY !== undefined ? { apiKey: e.OPENAI_API_KEY } : {}),
      ...(e.OPENAI_BASE_URL !== undefined ? { baseUrl: e.OPENAI_BASE_URL } : {}),
    }),
    federationAllowPrivateAddress: e.FEDERATION_ALLOW_PRIVATE_ADDRESS,
    trendsReview: e.TRENDS_REVIEW,
    suspendedAccountDeleteDays: e.SUSPENDED_ACCOUNT_DELETE_DAYS,
    // As Mastodon's authorized_fetch_mode?: limited federation implies secure mode, or a server we do not
    // federate with could still read every public post by fetching it unsigned.
    authorizedFetch: e.AUTHORIZED_FETCH || e.LIMITED_FEDERATION_MODE,
    limitedFederationMode: e.LIMITED_FEDERATION_MODE,
    generation: Object.freeze({
      openaiModel: e.OPENAI_IMAGE_MODEL,
      openaiTimeoutMs: e.OPENAI_TIMEOUT_SECONDS * 1000,
      ...(e.OPENAI_VISION_MODEL !== undefined ? { openaiVisionModel: e.OPENAI_VISION_MODEL } : {}),
      outputPolicy: e.GENERATION_OUTPUT_POLICY,
      ...(e.GENERATION_OUTPUT_HOOK !== undefined
        ? { outputHook: resolve(cwd, e.GENERATION_OUTPUT_HOOK) }
        : {}),
      dailyQuota: e.GENERATION_DAILY_QUOTA,
      concurrency: e.GENERATION_CONCURRENCY,
      ...(e.GENERATION_MONTHLY_BUDGET_USD !== undefined
        ? { monthlyBudgetUsd: e.GENERATION_MONTHLY_BUDGET_USD }
        : {}),
      prices,
    }),
    media: Object.freeze({
      maxUploadBytes: Math.round(e.MEDIA_MAX_UPLOAD_MB * 1024 * 1024),
      maxPixels: e.MEDIA_MAX_PIXELS,
      maxAttachments: e.MAX_MEDIA_ATTACHMENTS,
      store: e.MEDIA_STORE,
      ...(mediaPublicUrl !== undefined ? { publicUrl: mediaPublicUrl } : {}),
    }),
    ...(s3 !== undefined ? { s3 } : {}),
    aiHashtag: e.AI_HASHTAG.replace(/^#/, ""),
    apiRateLimit: e.API_RATE_LIMIT,
    trustedProxies: Object.freeze(trustedProxies),
    domainBlocksShown: Object.freeze({
      domains: e.SHOW_DOMAIN_BLOCKS,
      reasons: e.SHOW_DOMAIN_BLOCK_REASONS,
    }),
  });
}

/**
 * The S3 store the variables describe: required with MEDIA_STORE=s3, and checked whole whenever one of
 * its variables is set (a half-configured store is a mistake, not "no store"). Problems go to `problems`.
 */
function s3Settings(
  e: z.infer<typeof environmentSchema>,
  problems: { variable: string; message: string }[],
): S3Config | undefined {
  const named = [...S3_REQUIRED, "S3_ENDPOINT"] as const;
  const wanted = e.MEDIA_STORE === "s3" || named.some((v) => e[v] !== undefined);
  if (!wanted) return undefined;
  const missing = S3_REQUIRED.filter((v) => e[v] === undefined);
  for (const variable of missing) {
    problems.push({
      variable,
      message:
        e.MEDIA_STORE === "s3"
          ? "is required when MEDIA_STORE=s3"
          : `is required with the other S3_* variables (missing: ${missing.join(", ")})`,
    });
  }
  if (missing.length > 0) return undefined;
  return Object.freeze({
    ...(e.S3_ENDPOINT !== undefined ? { endpoint: e.S3_ENDPOINT } : {}),
    region: e.S3_REGION,
    bucket: e.S3_BUCKET!,
    accessKeyId: e.S3_ACCESS_KEY_ID!,
    secretAccessKey: e.S3_SECRET_ACCESS_KEY!,
    forcePathStyle: e.S3_FORCE_PATH_STYLE,
  });
}
