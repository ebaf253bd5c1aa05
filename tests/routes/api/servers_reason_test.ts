import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser } from "../../helpers/auth.ts";
import { createProfile, modelDir, serverEnv } from "../../helpers/servers.ts";

Deno.test("GET /api/servers/{id}/status says in one sentence why the server failed, and null while it has not", async () => {
  await using rt = await testRuntime({ env: serverEnv() });
  const { admin, user } = await adminAndUser(rt);
  const cases = [
    { fail: "oom", reason: "Not enough GPU memory for this model", state: "failed" },
    {
      fail: "model_not_found",
      reason:
        "This model's architecture (fake_arch) is not supported by the installed mlx-lm: update mlx-openai-server",
      state: "failed",
    },
  ];
  for (const { fail, reason, state } of cases) {
    const model = await modelDir(rt.dataDir, { load_delay_ms: 0, fail });
    const profile = await createProfile(rt, admin, { model_path: model });
    const before = await rt.app.request(`/api/servers/${profile.id}/status`, { headers: user.headers });
    assert.equal(before.status, 200);
    assert.equal((await before.json()).reason, null);
    const start = await rt.app.request(`/api/servers/${profile.id}/start?wait=true`, {
      method: "POST",
      headers: admin.headers,
    });
    assert.equal(start.status, 409);
    await start.body?.cancel();
    const res = await rt.app.request(`/api/servers/${profile.id}/status`, { headers: user.headers });
    assert.equal(res.status, 200);
    const status = await res.json();
    assert.equal(status.state, state, fail);
    assert.equal(status.failed, true);
    assert.equal(status.reason, reason, fail);
    assert.match(status.last_error, /^The server /, "last_error keeps the supervisor's summary and log tail");
  }
});
