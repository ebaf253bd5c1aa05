import assert from "node:assert/strict";
import { EventBus } from "../../../services/events.ts";
import { MetricsSampler } from "../../../services/system/sampler.ts";
import { createLogger } from "../../../lib/logger.ts";
import type { SystemMetricsEvent } from "../../../lib/event_types.ts";
import { ManualClock } from "../../helpers/clock.ts";

function setup(options: { fail?: boolean; historySize?: number; clock?: ManualClock } = {}) {
  const bus = new EventBus();
  const logs: string[] = [];
  let readings = 0;
  const system = {
    metrics(): Promise<SystemMetricsEvent> {
      readings++;
      if (options.fail) return Promise.reject(new Error("vm_stat failed"));
      return Promise.resolve({
        memory: { total: 100, used: readings, percent: readings },
        at: new Date().toISOString(),
      });
    },
  };
  const sampler = new MetricsSampler({
    system,
    bus,
    logger: createLogger("warn", (line) => logs.push(line)),
    intervalMs: 5000,
    historySize: options.historySize,
    clock: options.clock,
  });
  return { bus, sampler, logs, readings: () => readings };
}

Deno.test("the sampler reads nothing while no browser is connected, even with services listening", async () => {
  const { bus, sampler, readings } = setup();
  bus.subscribe(() => {});
  for (let t = 0; t < 60_000; t += 1000) await sampler.tick(t);
  assert.equal(readings(), 0);
  assert.deepEqual(sampler.history(), []);
});

Deno.test("a new listener gets a reading at once, then one per interval", async () => {
  const { bus, sampler, readings } = setup();
  const seen: unknown[] = [];
  await sampler.tick(0);
  bus.subscribe((e) => e.type === "system.metrics" && seen.push(e.data), { client: true });
  await sampler.tick(1000);
  assert.equal(readings(), 1, "read as soon as someone arrived");
  await sampler.tick(2000);
  await sampler.tick(5000);
  assert.equal(readings(), 1, "not again before the interval");
  await sampler.tick(6000);
  assert.equal(readings(), 2);
  assert.equal(seen.length, 2);
  bus.subscribe(() => {}, { client: true });
  await sampler.tick(7000);
  assert.equal(readings(), 3, "another arrival reads again");
});

Deno.test("the sampler keeps a bounded history, oldest first", async () => {
  const { bus, sampler } = setup({ historySize: 3 });
  bus.subscribe(() => {}, { client: true });
  for (let i = 0; i < 5; i++) await sampler.tick(i * 5000);
  assert.deepEqual(sampler.history().map((h) => h.memory.used), [3, 4, 5]);
});

Deno.test("a failing reading is logged once per streak and publishes nothing", async () => {
  const { bus, sampler, logs } = setup({ fail: true });
  const events: string[] = [];
  bus.subscribe((e) => events.push(e.type), { client: true });
  for (let i = 0; i < 4; i++) await sampler.tick(i * 5000);
  assert.deepEqual(events, []);
  assert.equal(logs.length, 1);
  assert.match(logs[0], /Cannot read system metrics/);
});

Deno.test("start runs the timer and stop clears it", async () => {
  const clock = new ManualClock();
  const { bus, sampler, readings } = setup({ clock });
  bus.subscribe(() => {}, { client: true });
  sampler.start();
  clock.advance(1000);
  await sampler.stop();
  assert.equal(readings(), 1);
  // Long enough for several intervals: a timer left running would read again.
  clock.advance(60_000);
  assert.equal(readings(), 1, "no reading after stop");
  assert.equal(clock.pending, 0, "no timer outlives stop()");
});

Deno.test("start() takes one reading for the pages to show, which latest() returns, and no more while nobody listens", async () => {
  const { sampler, readings } = setup();
  assert.equal(sampler.latest(), null);
  sampler.start();
  await sampler.stop();
  assert.equal(readings(), 1);
  assert.equal(sampler.latest()?.memory.used, 1);
  for (let t = 0; t < 20_000; t += 1000) await sampler.tick(t);
  assert.equal(readings(), 1, "no browser: no further reading");
});
