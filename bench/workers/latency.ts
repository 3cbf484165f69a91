// Child process of benchmark 3: GETs one URL `runs` times, one request after the other (after a few
// unmeasured ones), and prints {"p50": …, "p99": …} in milliseconds as its last line. A client of its
// own, as a real one would be: timed from the benchmark's process, whose heap still holds what building
// a million statuses left, collector pauses of the client itself (7-14 ms, several a second) landed in
// the tail being measured.
import { timeSamples } from "../lib/stats.ts";

const [url, runsArg, headersArg] = process.argv.slice(2);
const runs = Number(runsArg);
const headers = JSON.parse(headersArg ?? "{}") as Record<string, string>;

async function once(): Promise<void> {
  const res = await fetch(url!, { headers });
  await res.text();
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
}

process.stdout.write(`${JSON.stringify(await timeSamples(runs, once))}\n`);
