import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser, json } from "../../helpers/auth.ts";
import { startFakeHub } from "../../fixtures/fake_hub.ts";
import type { DownloadView } from "../../../lib/model_types.ts";

Deno.test("POST /api/models/downloads/clear removes finished, failed and cancelled jobs (a user's own, everyone's for an admin) and keeps those with work left", async () => {
  const hub = startFakeHub([
    { id: "org/Small", weightBytes: 100_000, tags: ["mlx"] },
    { id: "org/Medium", weightBytes: 5_000_000, tags: ["mlx"] },
    { id: "org/Medium-2", weightBytes: 5_000_000, tags: ["mlx"] },
    { id: "org/Huge", weightBytes: 50_000_000, tags: ["mlx"] },
  ], { bytesPerSecond: 1_000_000 });
  // 20 MB free: the huge one fails for want of disk, the others fit.
  const diskUsage = () => Promise.resolve({ mount: "/", total: 100_000_000, free: 20_000_000 });
  await using rt = await testRuntime({
    env: { MLX_MANAGER_OFFLINE: "false", HF_ENDPOINT: hub.url },
    runtime: { diskUsage, downloads: { reserveBytes: 0 } },
  });
  try {
    const { admin, user } = await adminAndUser(rt);
    const start = async (id: string) => {
      const res = await rt.app.request("/api/models/download", json("POST", { model_id: id }, admin.headers));
      assert.equal(res.status, 200, await res.clone().text());
      return (await res.json()).task_id as string;
    };
    const status = (task: string) => rt.deps.downloads.get(task)?.status;
    const until = async (task: string, want: string[]) => {
      for (let i = 0; i < 500 && !want.includes(status(task) ?? ""); i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(want.includes(status(task) ?? ""), `${task}: ${status(task)}`);
    };
    const small = await start("org/Small");
    const failed = await start("org/Huge");
    const big = await start("org/Medium");
    const bigger = await start("org/Medium-2");
    await until(small, ["completed"]);
    await until(failed, ["failed"]);
    assert.equal(rt.deps.downloads.get(failed)?.error_code, "disk_full");
    await rt.deps.downloads.cancel(big);
    await rt.deps.downloads.pause(bigger);
    await until(bigger, ["paused"]);

    // A user clears only their own jobs: these are the admin's.
    const mine = await rt.app.request("/api/models/downloads/clear", {
      method: "POST",
      headers: user.headers,
    });
    assert.deepEqual(await mine.json(), { cleared: 0, task_ids: [] });
    const res = await rt.app.request("/api/models/downloads/clear", {
      method: "POST",
      headers: admin.headers,
    });
    assert.equal(res.status, 200);
    const cleared = await res.json();
    assert.equal(cleared.cleared, 3);
    assert.deepEqual([...cleared.task_ids].sort(), [small, failed, big].sort());
    const left = await (await rt.app.request("/api/models/downloads", { headers: user.headers }))
      .json() as DownloadView[];
    assert.deepEqual(left.map((d) => [d.task_id, d.status]), [[bigger, "paused"]]);

    const again = await rt.app.request("/api/models/downloads/clear", {
      method: "POST",
      headers: user.headers,
    });
    assert.deepEqual(await again.json(), { cleared: 0, task_ids: [] });
    await rt.deps.downloads.cancel(bigger);
  } finally {
    await hub.close();
  }
});
