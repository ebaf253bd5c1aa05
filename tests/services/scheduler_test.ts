import assert from "node:assert/strict";
import { Scheduler } from "../../services/scheduler.ts";
import { createLogger } from "../../lib/logger.ts";
import { waitFor } from "../helpers/net.ts";

Deno.test("a scheduled job runs again and again from the KV queue, never twice at once", async () => {
  const kv = await Deno.openKv(":memory:");
  const scheduler = new Scheduler(kv, createLogger("silent"));
  let runs = 0;
  let running = 0;
  let overlap = false;
  scheduler.every("job", 20, async () => {
    overlap ||= running > 0;
    running++;
    runs++;
    await new Promise((r) => setTimeout(r, 30));
    running--;
  });
  scheduler.every("failing", 20, () => {
    throw new Error("boom");
  });
  scheduler.start();
  try {
    await waitFor(() => runs >= 3, "three runs");
    assert.equal(overlap, false);
  } finally {
    scheduler.stop();
    kv.close();
    await scheduler.done;
  }
});

Deno.test("ticks left in a persistent store by an earlier run are dropped", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/kv.sqlite3`;
  const earlier = await Deno.openKv(path);
  await earlier.enqueue({ job: "job", boot: "an-earlier-run" }, { delay: 0 });
  earlier.close();
  const kv = await Deno.openKv(path);
  const scheduler = new Scheduler(kv, createLogger("silent"));
  let runs = 0;
  scheduler.every("job", 60_000, () => void runs++);
  scheduler.start();
  try {
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(runs, 0);
  } finally {
    scheduler.stop();
    kv.close();
    await scheduler.done;
    await Deno.remove(dir, { recursive: true });
  }
});
