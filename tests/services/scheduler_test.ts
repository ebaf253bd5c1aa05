import assert from "node:assert/strict";
import { Scheduler } from "../../services/scheduler.ts";
import { createLogger } from "../../lib/logger.ts";
import { waitFor } from "../helpers/net.ts";

Deno.test("Scheduler runs a job again and again, never twice at once, and a failing job keeps its schedule", async () => {
  const scheduler = new Scheduler(createLogger("silent"));
  let runs = 0;
  let running = 0;
  let overlap = false;
  let failures = 0;
  scheduler.every("job", 20, async () => {
    overlap ||= running > 0;
    running++;
    runs++;
    await new Promise((r) => setTimeout(r, 30));
    running--;
  });
  scheduler.every("failing", 20, () => {
    failures++;
    throw new Error("boom");
  });
  scheduler.start();
  try {
    await waitFor(() => runs >= 3 && failures >= 3, "three runs of each job");
    assert.equal(overlap, false);
  } finally {
    scheduler.stop();
    await scheduler.done;
  }
});

Deno.test("Scheduler.stop() ends the schedule: no run after it, and done waits for the running one", async () => {
  const scheduler = new Scheduler(createLogger("silent"));
  let runs = 0;
  let finished = false;
  scheduler.every("job", 10, async () => {
    runs++;
    await new Promise((r) => setTimeout(r, 50));
    finished = true;
  });
  scheduler.start();
  await waitFor(() => runs === 1, "the first run");
  scheduler.stop();
  await scheduler.done;
  assert.equal(finished, true);
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(runs, 1);
});

Deno.test("Scheduler.every() after start() schedules the new job and replaces one of the same name", async () => {
  const scheduler = new Scheduler(createLogger("silent"));
  scheduler.start();
  let old = 0;
  let fresh = 0;
  scheduler.every("job", 30, () => void old++);
  scheduler.every("job", 10, () => void fresh++);
  try {
    await waitFor(() => fresh >= 2, "two runs of the new job");
    assert.equal(old, 0);
  } finally {
    scheduler.stop();
    await scheduler.done;
  }
});

Deno.test("Scheduler logs each finished run at debug, naming the job", async () => {
  const lines: string[] = [];
  const scheduler = new Scheduler(createLogger("debug", (line) => lines.push(line)));
  let runs = 0;
  scheduler.every("sweep", 10, () => void runs++);
  scheduler.start();
  try {
    await waitFor(() => runs >= 2, "two runs");
  } finally {
    scheduler.stop();
    await scheduler.done;
  }
  const logged = lines.filter((l) => /DEBUG Scheduled job ran job=sweep ms=\d+$/.test(l)).length;
  assert.ok(logged >= 2 && logged <= runs, `${logged} lines for ${runs} runs`);
});
