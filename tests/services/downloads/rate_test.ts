import assert from "node:assert/strict";
import { FetchedBytes, RateMeter } from "../../../services/downloads/rate.ts";
import { downloadSetup } from "../../helpers/downloads.ts";

Deno.test("RateMeter measures bytes per second over its window", () => {
  let now = 0;
  const meter = new RateMeter(5000, () => now);
  meter.sample(0);
  assert.equal(meter.rate(), 0, "one sample is no rate");
  now = 1000;
  meter.sample(1_000_000);
  assert.equal(meter.rate(), 1_000_000);
  now = 20_000;
  meter.sample(1_000_000);
  assert.equal(meter.rate(), 0, "nothing moved in the last window");
});

Deno.test("FetchedBytes counts a resumed file from what was on disk, and a restarted one from zero", () => {
  const fetched = new FetchedBytes();
  fetched.begin("a", 500);
  // The resume first re-checks the 500 bytes an earlier run left: nothing was fetched yet.
  fetched.progress("a", 200);
  fetched.progress("a", 500);
  assert.equal(fetched.total, 0);
  fetched.progress("a", 800);
  assert.equal(fetched.total, 300);
  fetched.begin("b", 0);
  fetched.progress("b", 100);
  assert.equal(fetched.total, 400);
  // "a" was corrupt and starts over: its 300 stay counted, and what comes now is fetched too.
  fetched.progress("a", 0);
  fetched.progress("a", 50);
  assert.equal(fetched.total, 450);
  fetched.end("a");
  fetched.end("b");
  assert.equal(fetched.total, 450, "ended files stay in the total");
});

Deno.test("a resumed download's speed is measured from the resume, not from the part already on disk", async () => {
  const rate = 200_000;
  await using s = await downloadSetup([{ id: "mlx-community/Tiny-4bit", weightBytes: 3_000_000 }], {
    knobs: { bytesPerSecond: 2_000_000 },
    manager: { fileConcurrency: 1 },
  });
  const { view } = await s.manager.request("mlx-community/Tiny-4bit");
  await s.waitForBytes(view.task_id, 1_000_000);
  await s.manager.pause(view.task_id);
  s.hub.knobs.bytesPerSecond = rate;
  const start = s.events.length;
  s.manager.resume(view.task_id);
  // Watch the resumed run until it has fetched a little more than it had.
  const paused = s.manager.get(view.task_id)!.downloaded_bytes;
  await s.waitForBytes(view.task_id, paused + 300_000);
  const speeds = s.events.slice(start).flatMap((e) =>
    e.type === "download.update" && e.data.status === "downloading" ? [e.data.speed_bps] : []
  );
  assert.ok(speeds.length >= 3, `${speeds.length} progress events`);
  const top = Math.max(...speeds);
  // Re-checking a megabyte on disk takes milliseconds: counted, it would read as many megabytes a second.
  assert.ok(top <= rate * 3, `the speed after the resume peaked at ${top} B/s for a ${rate} B/s transfer`);
  assert.ok(speeds.some((v) => v > 0), "and it is measured");
});
