import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser, createUser, json } from "../../helpers/auth.ts";
import { startFakeHub } from "../../fixtures/fake_hub.ts";
import { waitFor } from "../../helpers/net.ts";

Deno.test("only a download's requester or an admin may pause, resume, cancel or dismiss it; other users get 403 and the job is untouched", async () => {
  const hub = startFakeHub([{ id: "org/Slow", weightBytes: 20_000_000, tags: ["mlx"] }], {
    bytesPerSecond: 500_000,
  });
  await using rt = await testRuntime({
    env: { MLX_MANAGER_OFFLINE: "false", HF_ENDPOINT: hub.url },
    runtime: { diskUsage: () => Promise.resolve({ mount: "/", total: 1e12, free: 1e12 }) },
  });
  try {
    const { admin, user: owner } = await adminAndUser(rt);
    const stranger = await createUser(rt);
    const post = (path: string, headers: Record<string, string>) =>
      rt.app.request(`/api/models/download${path}`, json("POST", {}, headers));
    const started = await rt.app.request(
      "/api/models/download",
      json("POST", { model_id: "org/Slow" }, owner.headers),
    );
    assert.equal(started.status, 200);
    const { task_id: task } = await started.json();
    const status = () => rt.deps.downloads.get(task)!.status;
    await waitFor(() => status() === "downloading", "the download runs");

    const refused = async (action: string) => {
      const res = await post(`/${task}/${action}`, stranger.headers);
      assert.equal(res.status, 403, `${action}: ${res.status}`);
      assert.equal((await res.json()).detail, `Only an admin can ${action} another user's download`);
    };
    await refused("pause");
    await refused("cancel");
    assert.equal(status(), "downloading");

    assert.equal((await post(`/${task}/pause`, owner.headers)).status, 200);
    assert.equal(status(), "paused");
    await refused("resume");
    await refused("cancel");
    assert.equal(status(), "paused");
    assert.equal((await post(`/${task}/resume`, admin.headers)).status, 200);
    await refused("pause");
    assert.equal((await post(`/${task}/cancel`, owner.headers)).status, 200);
    assert.equal(status(), "cancelled");

    await refused("dismiss");
    const cleared = await rt.app.request("/api/models/downloads/clear", {
      method: "POST",
      headers: stranger.headers,
    });
    assert.deepEqual(await cleared.json(), { cleared: 0, task_ids: [] });
    assert.equal((await post(`/${task}/dismiss`, admin.headers)).status, 204);
    assert.equal(rt.deps.downloads.get(task), null);
  } finally {
    await hub.close();
  }
});
