// Benchmark results: each figure with the ceiling measured in the same run (the bare library doing the same
// work), the ratio between them, and the target it is checked against. Written as bench/results.json and as
// the table in BENCHMARKS.md.
import { mkdirSync, writeFileSync } from "node:fs";
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

export function renderMarkdown(results: BenchResults, notes: string): string {
  const m = results.machine;
  const rows = results.figures.map((f) => {
    const ceiling = f.ceiling
      ? `${fmt(f.ceiling.value)} ${f.ceiling.unit} (${f.ceiling.label})`
      : "—";
    const ratio = f.ratio === undefined ? "—" : `${(f.ratio * 100).toFixed(0)}%`;
    const target = f.target ? verdict(f.target) : "—";
    return `| ${f.label} | ${fmt(f.value)} ${f.unit} | ${ceiling} | ${ratio} | ${target} | ${f.notes ?? "—"} |`;
  });
  const skipped = results.skipped.map((s) => `- \`${s.id}\`: ${s.reason}`);
  return [
    "# Benchmarks",
    "",
    `Measured ${results.date}${results.quick ? " (quick run: small sizes, figures are indicative only)" : ""} on`,
    `${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}. Produced by \`npm run bench\`;`,
    "the raw figures are in `bench/results.json`. Each figure is compared with a ceiling measured in the same",
    "run: the same work done by the bare library underneath, because absolute times drift on shared machines.",
    "",
    "| Benchmark | Figure | Ceiling (same run) | Ratio | Target | Details |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    ...(skipped.length > 0 ? ["## Not measured in this run", "", ...skipped, ""] : []),
    notes.trim(),
    "",
  ].join("\n");
}

/** Writes `<dir>/bench/results.json` and `<dir>/BENCHMARKS.md`. */
export function writeResults(dir: string, results: BenchResults, notes: string): void {
  mkdirSync(join(dir, "bench"), { recursive: true });
  writeFileSync(join(dir, "bench", "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(dir, "BENCHMARKS.md"), renderMarkdown(results, notes));
}
