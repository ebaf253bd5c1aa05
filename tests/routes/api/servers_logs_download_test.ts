import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser } from "../../helpers/auth.ts";
import { createProfile, modelDir, serverEnv } from "../../helpers/servers.ts";

Deno.test("GET /api/servers/{id}/logs?download=1 sends the whole log as a plain-text attachment, also after the server stopped", async () => {
  await using rt = await testRuntime({ env: serverEnv() });
  const { admin, user } = await adminAndUser(rt);
  const model = await modelDir(rt.dataDir, { load_delay_ms: 0 });
  const profile = await createProfile(rt, admin, { name: "Qwen 3 / small", model_path: model });

  const empty = await rt.app.request(`/api/servers/${profile.id}/logs?download=1`, { headers: user.headers });
  assert.equal(empty.status, 200);
  assert.equal(await empty.text(), "", "nothing ran yet");

  const start = await rt.app.request(`/api/servers/${profile.id}/start?wait=true`, {
    method: "POST",
    headers: admin.headers,
  });
  assert.equal(start.status, 200);
  await start.body?.cancel();
  const stop = await rt.app.request(`/api/servers/${profile.id}/stop`, {
    method: "POST",
    headers: admin.headers,
  });
  assert.equal(stop.status, 200);
  await stop.body?.cancel();

  const res = await rt.app.request(`/api/servers/${profile.id}/logs?download=1`, { headers: user.headers });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/plain; charset=utf-8");
  assert.equal(res.headers.get("content-disposition"), 'attachment; filename="Qwen-3-small.log"');
  const text = await res.text();
  assert.match(text, /Starting: /, "the manager's own lines are in it");
  assert.match(text, /Uvicorn running on http:\/\/127\.0\.0\.1:/);
  assert.match(text, /MLX handler initialized successfully/);
  assert.match(text, /Stopping \(SIGTERM\)/);
  // deno-lint-ignore no-control-regex
  assert.doesNotMatch(text, /\x1b\[/, "colour codes are stripped");
  assert.ok(text.endsWith("\n"));
  const bad = await rt.app.request(`/api/servers/${profile.id}/logs?download=maybe`, {
    headers: user.headers,
  });
  assert.equal(bad.status, 422);
  await bad.body?.cancel();
});
