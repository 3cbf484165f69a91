// Child process of benchmark 3: GETs one URL `runs` times, one request after the other (after a few
// unmeasured ones), and prints {"p50": …, "p99": …} in milliseconds as its last line. A client of its
// own, as a real one would be: timed from the benchmark's process, whose heap still holds what building
// a million statuses left, collector pauses of the client itself (7-14 ms, several a second) landed in
// the tail being measured.
import { percentile } from "../lib/stats.ts";

const [url, runsArg, headersArg] = process.argv.slice(2);
const runs = Number(runsArg);
const headers = JSON.parse(headersArg ?? "{}") as Record<string, string>;

async function once(): Promise<void> {
  const res = await fetch(url!, { headers });
  await res.text();
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
}

for (let i = 0; i < Math.min(5, runs); i++) await once();
const samples: number[] = [];
for (let i = 0; i < runs; i++) {
  const started = performance.now();
  await once();
  samples.push(performance.now() - started);
}
samples.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({ p50: percentile(samples, 50), p99: percentile(samples, 99) })}\n`,
);
