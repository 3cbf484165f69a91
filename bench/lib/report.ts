// Benchmark results: each figure with the ceiling measured in the same run (the bare library doing the same
// work), the ratio between them, and the target it is checked against. Written as bench/results.json and as
// the table in BENCHMARKS.md.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";

export interface Figure {
  /** Short id, e.g. "http.webfinger". */
  id: string;
  label: string;
  value: number;
  unit: string;
  /** The bare-library figure measured in the same run, when this figure has one. */
  ceiling?: { value: number; unit: string; label: string };
  /** value / ceiling (or ceiling / value for "lower is better" figures): 1 means as fast as the bare library. */
  ratio?: number;
  target?: {
    description: string;
    pass: boolean;
    /**
     * Set when we hold that the target itself is wrong for this machine and stack: the reason is argued
     * in BENCHMARKS.md's notes. The verdict is still printed (and still fails --strict).
     */
    disputed?: boolean;
  };
  notes?: string;
}

export interface BenchResults {
  date: string;
  quick: boolean;
  machine: { cores: number; cpu: string; memoryGiB: number; node: string; platform: string };
  figures: Figure[];
  /** Benchmarks that could not run, with the reason. */
  skipped: { id: string; reason: string }[];
  /** The last full `--postgres` run, kept apart: it has a date (and a load on the machine) of its own. */
  postgres?: Omit<BenchResults, "postgres">;
}

export function machineInfo(): BenchResults["machine"] {
  const cpuList = cpus();
  return {
    cores: cpuList.length,
    cpu: cpuList[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

const fmt = (n: number) =>
  n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n >= 1 ? n.toFixed(2) : n.toPrecision(2);

/** "PASS: ≤ 25 ms", or a FAIL marked when we consider its target wrong. */
export function verdict(target: NonNullable<Figure["target"]>): string {
  const disputed = target.disputed && !target.pass ? " (target disputed: see the notes)" : "";
  return `${target.pass ? "PASS" : "FAIL"}: ${target.description}${disputed}`;
}

function table(figures: Figure[]): string[] {
  const rows = figures.map((f) => {
    const ceiling = f.ceiling
      ? `${fmt(f.ceiling.value)} ${f.ceiling.unit} (${f.ceiling.label})`
      : "—";
    const ratio = f.ratio === undefined ? "—" : `${(f.ratio * 100).toFixed(0)}%`;
    const target = f.target ? verdict(f.target) : "—";
    return `| ${f.label} | ${fmt(f.value)} ${f.unit} | ${ceiling} | ${ratio} | ${target} | ${f.notes ?? "—"} |`;
  });
  return [
    "| Benchmark | Figure | Ceiling (same run) | Ratio | Target | Details |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
  ];
}

function measuredOn(results: Omit<BenchResults, "postgres">): string {
  const m = results.machine;
  return [
    `Measured ${results.date}${results.quick ? " (quick run: small sizes, figures are indicative only)" : ""} on`,
    `${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}.`,
  ].join("\n");
}

function notMeasured(results: Omit<BenchResults, "postgres">, heading: string): string[] {
  const skipped = results.skipped.map((s) => `- \`${s.id}\`: ${s.reason}`);
  return skipped.length > 0 ? [heading, "", ...skipped, ""] : [];
}

export function renderMarkdown(results: BenchResults, notes: string): string {
  const pg = results.postgres;
  return [
    "# Benchmarks",
    "",
    `${measuredOn(results)} Produced by \`npm run bench\`;`,
    "the raw figures are in `bench/results.json`. Each figure is compared with a ceiling measured in the same",
    "run: the same work done by the bare library underneath, because absolute times drift on shared machines.",
    "",
    ...table(results.figures),
    "",
    ...notMeasured(results, "## Not measured in this run"),
    ...(pg === undefined
      ? []
      : [
          "## On PostgreSQL",
          "",
          `${measuredOn(pg)} Produced by \`npm run bench -- --postgres\`: the instance on a`,
          "PostgreSQL server of the run's own on the same machine, as a web process and 1 or 2 worker processes",
          "for the federation benchmarks (one process for the timelines).",
          "",
          ...table(pg.figures),
          "",
          ...notMeasured(pg, "### Not measured in the PostgreSQL run"),
        ]),
    notes.trim(),
    "",
  ].join("\n");
}

/**
 * A run over the one before: its figures replace those of the same id (a run with --only redoes
 * some), the others stay.
 */
function mergeById(
  before: Omit<BenchResults, "postgres"> | undefined,
  run: Omit<BenchResults, "postgres">,
): Omit<BenchResults, "postgres"> {
  if (before === undefined || before.quick !== run.quick) return run;
  const figures = [...before.figures];
  for (const f of run.figures) {
    const at = figures.findIndex((g) => g.id === f.id);
    if (at === -1) figures.push(f);
    else figures[at] = f;
  }
  const redone = new Set([...run.figures.map((f) => f.id), ...run.skipped.map((s) => s.id)]);
  const skipped = [...before.skipped.filter((s) => !redone.has(s.id)), ...run.skipped];
  return { ...run, figures, skipped };
}

/**
 * Writes `<dir>/bench/results.json` and `<dir>/BENCHMARKS.md`: `results` as the main figures (keeping
 * the PostgreSQL run's), or as the PostgreSQL run's (keeping the main figures). Either way a figure
 * replaces the one of the same id, so an `--only` run leaves the other benchmarks' figures as they were.
 */
export function writeResults(
  dir: string,
  results: BenchResults,
  notes: string,
  part: "main" | "postgres" = "main",
): void {
  const path = join(dir, "bench", "results.json");
  const before = existsSync(path)
    ? (JSON.parse(readFileSync(path, "utf8")) as BenchResults)
    : undefined;
  const { postgres: _, ...run } = results;
  const merged: BenchResults =
    part === "main"
      ? {
          ...mergeById(before, run),
          ...(before?.postgres ? { postgres: before.postgres } : {}),
        }
      : {
          ...(before ?? { ...run, figures: [], skipped: [] }),
          postgres: mergeById(before?.postgres, run),
        };
  mkdirSync(join(dir, "bench"), { recursive: true });
  writeFileSync(path, `${JSON.stringify(merged, null, 2)}\n`);
  writeFileSync(join(dir, "BENCHMARKS.md"), renderMarkdown(merged, notes));
}
