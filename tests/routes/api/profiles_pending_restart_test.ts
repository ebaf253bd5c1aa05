import assert from "node:assert/strict";
import type { ServerStatus } from "../../../lib/event_types.ts";
import { createUser, json } from "../../helpers/auth.ts";
import { waitFor } from "../../helpers/net.ts";
import { testRuntime } from "../../helpers/runtime.ts";
import { createProfile, modelDir, recordUpdates, serverEnv } from "../../helpers/servers.ts";

Deno.test("editing a running profile's launch settings marks its server pending a restart, live, until it is restarted", async () => {
  await using rt = await testRuntime({ env: serverEnv() });
  const admin = await createUser(rt, { admin: true });
  const profile = await createProfile(rt, admin, {
    model_path: await modelDir(rt.dataDir, { load_delay_ms: 0 }),
  });
  const call = (method: string, path: string, body: unknown = {}) =>
    rt.app.request(path, json(method, body, admin.headers));
  const edit = async (body: Record<string, unknown>) => {
    const res = await call("PUT", `/api/profiles/${profile.id}`, body);
    assert.equal(res.status, 200);
    return (await res.json()).pending_restart;
  };
  const status = async (): Promise<ServerStatus> =>
    await (await rt.app.request(`/api/servers/${profile.id}/status`, { headers: admin.headers })).json();

  assert.equal(
    await edit({ context_length: 4096 }),
    false,
    "a stopped server takes its settings at its start",
  );
  await (await call("POST", `/api/servers/${profile.id}/start?wait=true`)).body?.cancel();
  assert.equal((await status()).pending_restart, false);

  // Settings the manager applies at once need no restart.
  assert.equal(await edit({ description: "edited", idle_timeout: 600 }), false);
  const { updates } = recordUpdates(rt);
  assert.equal(await edit({ context_length: 8192 }), true, "Saved — restart to apply");
  assert.equal((await status()).pending_restart, true);
  assert.equal(updates.at(-1)?.pending_restart, true, "the dashboard hears of it at once");
  // Back to what it runs with: nothing to apply.
  assert.equal(await edit({ context_length: 4096 }), false);
  assert.equal(await edit({ context_length: 8192 }), true);

  const restart = await call("POST", `/api/servers/${profile.id}/restart?wait=true`);
  assert.equal(restart.status, 200);
  const restarted: ServerStatus = await restart.json();
  assert.deepEqual([restarted.state, restarted.pending_restart], ["running", false]);
  await waitFor(
    () => updates.at(-1)?.state === "running" && updates.at(-1)?.pending_restart === false,
    "live",
  );
});
