/**
 * System metrics cost: a sampler tick while nobody listens (target: under a
 * microsecond, no command run), one reading on this machine, and parsing one
 * set of recorded macOS outputs (vm_stat, sysctl, ioreg). Each as
 * min/median/max over its runs, with this process's CPU per run (the sampler
 * and the parsers run here; a reading on this machine also runs its commands).
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
import { formatSummary, ownCpuSeconds, report, summarize, type Summary } from "./stats.ts";

/** Wall milliseconds of each run, and this process's CPU milliseconds per run over all of them. */
async function timeEach(runs: number, fn: () => Promise<unknown>): Promise<{ ms: Summary; cpuMs: number }> {
  const times: number[] = [];
  const cpu = ownCpuSeconds();
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return { ms: summarize(times), cpuMs: (ownCpuSeconds() - cpu) * 1000 / runs };
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
// Five batches of a million ticks: the per-tick time of each batch, in nanoseconds.
const ticks = 1_000_000;
const batches: number[] = [];
for (let b = 0; b < 5; b++) {
  const started = performance.now();
  for (let i = 0; i < ticks; i++) await sampler.tick(b * ticks + i);
  batches.push((performance.now() - started) * 1e6 / ticks);
}

const local = createProbe({ os: Deno.build.os, runner: new DenoCommandRunner() });
const localReading = await timeEach(20, () => local.memory());
const mac = createProbe({ os: "darwin", runner: macRunner() });
const macParse = await timeEach(200, () => mac.memory());

report("system metrics");
report(
  `  idle sampler tick:           ${
    formatSummary(summarize(batches), "ns", 0)
  } (readings while idle: ${readings})`,
);
report(
  `  one reading on ${Deno.build.os.padEnd(12)} ${formatSummary(localReading.ms, "ms")}; CPU here ${
    localReading.cpuMs.toFixed(2)
  } ms a reading`,
);
report(
  `  parse recorded macOS output: ${formatSummary(macParse.ms, "ms", 3)}; CPU ${
    macParse.cpuMs.toFixed(3)
  } ms a parse`,
);
