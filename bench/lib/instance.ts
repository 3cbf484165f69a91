// Starts a real Atelier (`src/main.ts`) as a child process on a free loopback port with its own data dir,
// and stops exactly that process.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const root = join(import.meta.dirname, "..", "..");

/**
 * The Node options `npm start` runs the server with (those before `--import` in package.json's start
 * script), so that children measure what operators run.
 */
export const startOptions: string[] = (() => {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    scripts: { start: string };
  };
  const args = pkg.scripts.start.split(/\s+/);
  return args.slice(1, args.indexOf("--import")).filter((a) => a.startsWith("--"));
})();

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface ChildServer {
  child: ChildProcess;
  port: number;
  url: string;
  dataDir: string;
  /** Milliseconds from spawn to the first healthy answer. */
  startupMs: number;
  /** Resident set size of the child now, in bytes (Linux /proc). */
  rss(): Promise<number>;
  /** CPU seconds (user + system) the child has used so far (Linux /proc): steadier than wall time. */
  cpuSeconds(): Promise<number>;
  stop(): Promise<void>;
}

export async function readRss(pid: number): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? Number.NaN : Number(kb) * 1024;
}

/** CPU seconds (user + system) used by process `pid`, from /proc/<pid>/stat (clock ticks of 10 ms). */
export async function readCpuSeconds(pid: number): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces) start after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Spawns `script` (relative to the repo) and waits until `healthPath` answers 200. */
export async function startChild(
  script: string,
  options: {
    env?: Record<string, string>;
    healthPath?: string;
    dataDir?: string;
    /** Set ORIGIN to http://127.0.0.1:<the port chosen> (federation needs ids that resolve). */
    originFromPort?: boolean;
    /** A port chosen beforehand (to build the data directory for its ORIGIN first). */
    port?: number;
    /**
     * For a process serving no HTTP (ROLE=worker): answers true once it is ready, in place of waiting
     * for `healthPath` (url and port are then only what it was given).
     */
    ready?: () => Promise<boolean>;
  } = {},
): Promise<ChildServer> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "atelier-bench-"));
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each server child, to find where time goes.
      ...(process.env.BENCH_CPU_PROF
        ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
        : []),
      // BENCH_NODE_FLAGS="--trace-gc …" passes more Node flags to the server children.
      ...(process.env.BENCH_NODE_FLAGS?.split(/\s+/).filter((f) => f !== "") ?? []),
      ...startOptions,
      "--import",
      join(root, "src/preload.ts"),
      join(root, script),
    ],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? "",
        PORT: String(port),
        HOST: "127.0.0.1",
        DATA_DIR: dataDir,
        LOG_LEVEL: process.env.BENCH_CHILD_LOG_LEVEL ?? "error",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  if (process.env.BENCH_CHILD_LOG) {
    const { createWriteStream } = await import("node:fs");
    const log = createWriteStream(`${process.env.BENCH_CHILD_LOG}.${child.pid}.log`);
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  }
  const url = `http://127.0.0.1:${port}`;
  const healthPath = options.healthPath ?? "/health";
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited early:\n${output}`);
    try {
      if (options.ready !== undefined) {
        if (await options.ready()) break;
      } else {
        const res = await fetch(url + healthPath);
        await res.arrayBuffer();
        if (res.ok) break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${script} did not become healthy:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, options.ready === undefined ? 5 : 50));
  }
  const startupMs = performance.now() - started;
  return {
    child,
    port,
    url,
    dataDir,
    startupMs,
    rss: () => readRss(child.pid!),
    cpuSeconds: () => readCpuSeconds(child.pid!),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("close", r));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
