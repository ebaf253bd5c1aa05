import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser, json } from "../../helpers/auth.ts";
import { startFakeHub } from "../../fixtures/fake_hub.ts";
import type { DownloadView } from "../../../lib/model_types.ts";

Deno.test("DELETE /api/models/{id} removes the model's finished download jobs with it, and no other's", async () => {
  const hub = startFakeHub([
    { id: "org/Gone", weightBytes: 50_000, tags: ["mlx"] },
    { id: "org/Kept", weightBytes: 50_000, tags: ["mlx"] },
  ]);
  await using rt = await testRuntime({
    env: { MLX_MANAGER_OFFLINE: "false", HF_ENDPOINT: hub.url },
    runtime: { downloads: { reserveBytes: 0 } },
  });
  try {
    const { admin } = await adminAndUser(rt);
    const task = async (id: string) => {
      const res = await rt.app.request("/api/models/download", json("POST", { model_id: id }, admin.headers));
      assert.equal(res.status, 200, await res.clone().text());
      return (await res.json()).task_id as string;
    };
    const gone = await task("org/Gone");
    const kept = await task("org/Kept");
    for (
      let i = 0;
      i < 500 && [gone, kept].some((t) => rt.deps.downloads.get(t)?.status !== "completed");
      i++
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const res = await rt.app.request("/api/models/org/Gone", { method: "DELETE", headers: admin.headers });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { deleted: true, downloads_removed: [gone] });
    const list = await (await rt.app.request("/api/models/downloads", { headers: admin.headers }))
      .json() as DownloadView[];
    assert.deepEqual(list.map((d) => d.task_id), [kept]);
  } finally {
    await hub.close();
  }
});
