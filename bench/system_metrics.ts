/**
 * System metrics cost: a sampler tick while nobody listens (target: under a
 * microsecond, no command run), one reading on this machine, and parsing one
 * set of recorded macOS outputs (vm_stat, sysctl, ioreg).
 *
 * Run: deno run -A bench/system_metrics.ts
 *
 * @module
 */
import { EventBus } from "../services/events.ts";
import { MetricsSampler } from "../services/system/sampler.ts";
import { createProbe } from "../services/system/probes.ts";
import { DenoCommandRunner } from "../services/platform/runner.ts";
import { createLogger } from "../lib/logger.ts";
import { macRunner } from "../tests/helpers/recorded_runner.ts";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timeEach(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return median(times);
}

let readings = 0;
const sampler = new MetricsSampler({
  system: {
    metrics: () => {
      readings++;
      return Promise.resolve({ memory: { total: 1, used: 1, percent: 100 }, at: "" });
    },
  },
  bus: new EventBus(),
  logger: createLogger("silent"),
  intervalMs: 5000,
});
const ticks = 1_000_000;
const started = performance.now();
for (let i = 0; i < ticks; i++) await sampler.tick(i);
const idleTick = (performance.now() - started) * 1e6 / ticks;

const local = createProbe({ os: Deno.build.os, runner: new DenoCommandRunner() });
const localReading = await timeEach(20, () => local.memory());
const mac = createProbe({ os: "darwin", runner: macRunner() });
const macParse = await timeEach(200, () => mac.memory());

// deno-lint-ignore no-console
console.log(
  [
    "system metrics",
    `  idle sampler tick:            ${idleTick.toFixed(0)} ns (readings while idle: ${readings})`,
    `  one reading on ${Deno.build.os.padEnd(13)} ${localReading.toFixed(2)} ms (median of 20)`,
    `  parse recorded macOS output:  ${macParse.toFixed(3)} ms (median of 200)`,
  ].join("\n"),
);
