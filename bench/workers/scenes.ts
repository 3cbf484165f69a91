// Child process of benchmark 6: renders 1024×1024 scenes with the embedded generator, libvips held to
// one thread (and libuv to one, set by the parent), cycling through prompts that cover every place,
// weather and style. Prints {"p50": …, "p99": …, "cpuP50": …} (ms) as its last line: wall time, and the
// CPU time the process used per image (all its threads), which is what "on one core" means on a busy
// machine.
import sharp from "sharp";
import { LOCAL_MODEL, LocalProvider } from "../../src/generation/local/index.ts";
import { percentile } from "../lib/stats.ts";

const count = Number(process.argv[2]);
sharp.concurrency(1);

const PROMPTS = [
  "a lighthouse and a boat on the sea at dusk, watercolour",
  "a quiet harbour at dawn",
  "a red fox sleeping in fresh snow, soft morning light, photograph",
  "mountains at night, risograph",
  "a city in the rain, neon",
  "a desert at noon, pixel art",
  "a forest in fog, ink",
  "a nebula in space",
];

const provider = new LocalProvider();
const signal = new AbortController().signal;
const render = (i: number) =>
  provider.generate(
    {
      prompt: PROMPTS[i % PROMPTS.length]!,
      model: LOCAL_MODEL,
      size: "1024x1024",
      quality: "auto",
      background: "auto",
      n: 1,
      seed: 1000 + i,
    },
    signal,
  );

for (let i = 0; i < PROMPTS.length; i++) await render(i); // warm-up: each code path compiled once
const wall: number[] = [];
const cpu: number[] = [];
for (let i = 0; i < count; i++) {
  const started = performance.now();
  const before = process.cpuUsage();
  await render(i);
  const used = process.cpuUsage(before);
  cpu.push((used.user + used.system) / 1000);
  wall.push(performance.now() - started);
}
wall.sort((a, b) => a - b);
cpu.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({ p50: percentile(wall, 50), p99: percentile(wall, 99), cpuP50: percentile(cpu, 50), cpuP99: percentile(cpu, 99) })}\n`,
);
