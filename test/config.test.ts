import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";
import { tempDir } from "./helpers/instance.ts";

const load = (env: Record<string, string>) =>
  loadConfig({ env, envFile: null, cwd: "/srv/atelier" });

function problemsOf(env: Record<string, string>) {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("gives a working local instance with no variables at all", () => {
    const config = load({});
    expect(config.port).toBe(3000);
    expect(config.origin).toBe("http://localhost:3000");
    expect(config.domain).toBe("localhost:3000");
    expect(config.dataDir).toBe("/srv/atelier/data");
    expect(config.databasePath).toBe("/srv/atelier/data/atelier.sqlite");
    expect(config.imageProvider).toBe("local");
    expect(config.logLevel).toBe("info");
    expect(config.federationAllowPrivateAddress).toBe(false);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("reads ROLE (all by default) and REDIS_URL, refusing anything but redis:// and rediss://", () => {
    expect(load({}).role).toBe("all");
    expect(load({}).redisUrl).toBeUndefined();
    expect(load({ ROLE: "worker", REDIS_URL: "rediss://cache.internal:6380/2" })).toMatchObject({
      role: "worker",
      redisUrl: "rediss://cache.internal:6380/2",
    });
    expect(problemsOf({ ROLE: "both" })).toEqual([
      { variable: "ROLE", message: 'must be all, web or worker (got "both")' },
    ]);
    expect(problemsOf({ REDIS_URL: "http://127.0.0.1:6379" })).toEqual([
      {
        variable: "REDIS_URL",
        message:
          'must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379 (got "http://127.0.0.1:6379")',
      },
    ]);
  });

  it("derives ORIGIN from PORT and keeps an explicit ORIGIN's host as the domain", () => {
    expect(load({ PORT: "8080" }).origin).toBe("http://localhost:8080");
    const config = load({ PORT: "8080", ORIGIN: "https://Atelier.Example/" });
    expect(config.origin).toBe("https://atelier.example");
    expect(config.domain).toBe("atelier.example");
  });

  it("names PORT when it is not a port number", () => {
    for (const bad of ["abc", "0", "70000", "3.5"]) {
      const problems = problemsOf({ PORT: bad });
      expect(problems.map((p) => p.variable)).toEqual(["PORT"]);
      expect(problems[0]?.message).toContain(JSON.stringify(bad));
    }
  });

  it("reports every bad variable at once", () => {
    const problems = problemsOf({
      PORT: "abc",
      ORIGIN: "ftp://x",
      LOG_LEVEL: "loud",
      IMAGE_PROVIDER: "midjourney",
      FEDERATION_ALLOW_PRIVATE_ADDRESS: "maybe",
    });
    expect(problems.map((p) => p.variable).sort()).toEqual([
      "FEDERATION_ALLOW_PRIVATE_ADDRESS",
      "IMAGE_PROVIDER",
      "LOG_LEVEL",
      "ORIGIN",
      "PORT",
    ]);
  });

  it("refuses an ORIGIN with a path", () => {
    expect(problemsOf({ ORIGIN: "https://example.com/atelier" })[0]?.variable).toBe("ORIGIN");
  });

  it("requires an API key for the openai provider unless a compatible base URL is given", () => {
    expect(problemsOf({ IMAGE_PROVIDER: "openai" })[0]?.variable).toBe("OPENAI_API_KEY");
    expect(load({ IMAGE_PROVIDER: "openai", OPENAI_API_KEY: "sk-test" }).openai.apiKey).toBe(
      "sk-test",
    );
    expect(
      load({ IMAGE_PROVIDER: "openai", OPENAI_BASE_URL: "http://127.0.0.1:9000/v1" }).openai,
    ).toEqual({ baseUrl: "http://127.0.0.1:9000/v1" });
  });

  it("parses FEDERATION_ALLOW_PRIVATE_ADDRESS as a boolean", () => {
    expect(load({ FEDERATION_ALLOW_PRIVATE_ADDRESS: "true" }).federationAllowPrivateAddress).toBe(
      true,
    );
    expect(load({ FEDERATION_ALLOW_PRIVATE_ADDRESS: "0" }).federationAllowPrivateAddress).toBe(
      false,
    );
  });

  it("parses AUTHORIZED_FETCH as a boolean, off by default", () => {
    expect(load({}).authorizedFetch).toBe(false);
    expect(load({ AUTHORIZED_FETCH: "true" }).authorizedFetch).toBe(true);
    expect(() => load({ AUTHORIZED_FETCH: "maybe" })).toThrow(/AUTHORIZED_FETCH/);
  });

  it("takes REDIS_URL as a redis:// or rediss:// URL only, unset by default", () => {
    expect(load({}).redisUrl).toBeUndefined();
    expect(load({ REDIS_URL: "redis://127.0.0.1:6379/2" }).redisUrl).toBe(
      "redis://127.0.0.1:6379/2",
    );
    expect(load({ REDIS_URL: "rediss://:secret@cache.example:6380" }).redisUrl).toBe(
      "rediss://:secret@cache.example:6380",
    );
    for (const bad of ["http://127.0.0.1:6379", "127.0.0.1:6379", "redis"]) {
      expect(problemsOf({ REDIS_URL: bad }).map((p) => p.variable)).toEqual(["REDIS_URL"]);
    }
  });

  it("takes FEDERATION_QUEUE_LEASE_SECONDS as whole seconds, 60 by default", () => {
    expect(load({}).federationQueueLeaseMs).toBe(60_000);
    expect(load({ FEDERATION_QUEUE_LEASE_SECONDS: "5" }).federationQueueLeaseMs).toBe(5000);
    for (const bad of ["0", "1.5", "soon"]) {
      expect(problemsOf({ FEDERATION_QUEUE_LEASE_SECONDS: bad }).map((p) => p.variable)).toEqual([
        "FEDERATION_QUEUE_LEASE_SECONDS",
      ]);
    }
  });

  it("takes DATABASE_URL as a postgres:// or postgresql:// URL only, never echoing it", () => {
    expect(load({}).databaseUrl).toBeUndefined();
    expect(
      load({ DATABASE_URL: "postgres://atelier:pw@db.internal:5432/atelier" }).databaseUrl,
    ).toBe("postgres://atelier:pw@db.internal:5432/atelier");
    expect(load({ DATABASE_URL: "postgresql://db.internal/atelier" }).databaseUrl).toBe(
      "postgresql://db.internal/atelier",
    );
    // The value may hold a password, so the message names the variable and the form, not the value.
    expect(problemsOf({ DATABASE_URL: "mysql://root:hunter2@db/atelier" })).toEqual([
      {
        variable: "DATABASE_URL",
        message:
          "must be a postgres:// or postgresql:// URL such as postgres://atelier@127.0.0.1:5432/atelier",
      },
    ]);
    expect(problemsOf({ DATABASE_URL: "atelier.sqlite" }).map((p) => p.variable)).toEqual([
      "DATABASE_URL",
    ]);
  });

  it("treats an empty variable as unset", () => {
    expect(load({ PORT: "", DATA_DIR: " " }).port).toBe(3000);
  });

  it("reads a .env file, with the real environment taking precedence", () => {
    const dir = tempDir();
    try {
      const envFile = join(dir.path, ".env");
      writeFileSync(envFile, "PORT=4000\nINSTANCE_NAME='Studio Nine'\nLOG_LEVEL=debug\n");
      const config = loadConfig({ env: { LOG_LEVEL: "warning" }, envFile, cwd: dir.path });
      expect(config.port).toBe(4000);
      expect(config.instanceName).toBe("Studio Nine");
      expect(config.logLevel).toBe("warning");
    } finally {
      dir.remove();
    }
  });

  it("reads TRUSTED_PROXIES as CIDRs, IPv4 and IPv6, trusting only loopback by default", () => {
    expect(load({}).trustedProxies).toEqual(["127.0.0.0/8", "::1/128"]);
    expect(load({ TRUSTED_PROXIES: " 10.0.0.0/8, FD00::/8 ,192.0.2.7" }).trustedProxies).toEqual([
      "10.0.0.0/8",
      "fd00::/8",
      "192.0.2.7/32",
    ]);
    expect(load({ TRUSTED_PROXIES: "none" }).trustedProxies).toEqual([]);
    expect(Object.isFrozen(load({}).trustedProxies)).toBe(true);
  });

  it("names TRUSTED_PROXIES when an entry is not an address or network", () => {
    for (const bad of [
      "10.0.0.0/33",
      "::1/129",
      "proxy.example",
      "10.0.0.0/8/1",
      "10.0.0/8",
      ",",
    ]) {
      const problems = problemsOf({ TRUSTED_PROXIES: bad });
      expect(problems.map((p) => p.variable)).toEqual(["TRUSTED_PROXIES"]);
      expect(problems[0]?.message).toContain(JSON.stringify(bad));
    }
  });

  it("keeps media on local disk by default, and reads an S3 store from MEDIA_STORE=s3 and S3_*", () => {
    expect(load({}).media.store).toBe("local");
    expect(load({}).s3).toBeUndefined();
    const config = load({
      ORIGIN: "https://atelier.example",
      MEDIA_STORE: "s3",
      S3_ENDPOINT: "https://s3.example",
      S3_BUCKET: "media",
      S3_ACCESS_KEY_ID: "key",
      S3_SECRET_ACCESS_KEY: "secret",
      S3_FORCE_PATH_STYLE: "true",
      S3_PUBLIC_URL: "https://files.example/media/",
    });
    expect(config.media.store).toBe("s3");
    expect(config.media.publicUrl).toBe("https://files.example/media");
    expect(config.s3).toEqual({
      endpoint: "https://s3.example",
      region: "us-east-1",
      bucket: "media",
      accessKeyId: "key",
      secretAccessKey: "secret",
      forcePathStyle: true,
    });
    expect(Object.isFrozen(config.s3)).toBe(true);
    // Files stay on this server's /media until MEDIA_STORE=s3, whatever S3_PUBLIC_URL says.
    const before = load({
      S3_BUCKET: "media",
      S3_ACCESS_KEY_ID: "key",
      S3_SECRET_ACCESS_KEY: "secret",
      S3_PUBLIC_URL: "https://files.example",
    });
    expect(before.media.store).toBe("local");
    expect(before.media.publicUrl).toBeUndefined();
    expect(before.s3?.bucket).toBe("media");
  });

  it("names each missing S3 variable when MEDIA_STORE=s3, or when an S3 store is half described", () => {
    const problems = problemsOf({ MEDIA_STORE: "s3", S3_BUCKET: "media" });
    expect(problems).toEqual([
      { variable: "S3_ACCESS_KEY_ID", message: "is required when MEDIA_STORE=s3" },
      { variable: "S3_SECRET_ACCESS_KEY", message: "is required when MEDIA_STORE=s3" },
    ]);
    expect(problemsOf({ MEDIA_STORE: "s3" }).map((p) => p.variable)).toEqual([
      "S3_BUCKET",
      "S3_ACCESS_KEY_ID",
      "S3_SECRET_ACCESS_KEY",
    ]);
    expect(problemsOf({ S3_ENDPOINT: "http://127.0.0.1:9000" })[0]?.message).toBe(
      "is required with the other S3_* variables (missing: S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY)",
    );
    const s3 = {
      MEDIA_STORE: "s3",
      S3_BUCKET: "b",
      S3_ACCESS_KEY_ID: "k",
      S3_SECRET_ACCESS_KEY: "s",
    };
    expect(problemsOf({ MEDIA_STORE: "disk" })[0]?.variable).toBe("MEDIA_STORE");
    expect(problemsOf({ ...s3, S3_ENDPOINT: "s3.example" })[0]?.variable).toBe("S3_ENDPOINT");
    expect(problemsOf({ ...s3, S3_FORCE_PATH_STYLE: "maybe" })[0]?.variable).toBe(
      "S3_FORCE_PATH_STYLE",
    );
    expect(problemsOf({ ...s3, S3_PUBLIC_URL: "https://files.example/?x=1" })[0]?.message).toBe(
      "must not have a query or fragment",
    );
    // An https page cannot show http images.
    expect(
      problemsOf({
        ...s3,
        ORIGIN: "https://atelier.example",
        S3_PUBLIC_URL: "http://files.example",
      }),
    ).toEqual([
      { variable: "S3_PUBLIC_URL", message: "must be an https URL when ORIGIN is https" },
    ]);
  });
});
