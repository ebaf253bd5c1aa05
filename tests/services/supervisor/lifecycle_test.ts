import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
import { createUser } from "../../helpers/auth.ts";
import { alive, createProfile, modelDir, recordUpdates, serverEnv } from "../../helpers/servers.ts";
import { waitFor } from "../../helpers/net.ts";
import { versionTest } from "../../helpers/versions.ts";

versionTest(
  "a started server goes starting → running, and a stop ends it as stopped, not crashed",
  async (version) => {
    const rt = await testRuntime({ env: serverEnv({}, version) });
    try {
      const user = await createUser(rt, { admin: true });
      const profile = await createProfile(rt, user, {
        model_path: await modelDir(rt.dataDir, { load_delay_ms: 300 }),
      });
      const { updates } = recordUpdates(rt);

      const res = await rt.app.request(`/api/servers/${profile.id}/start`, {
        method: "POST",
        headers: user.headers,
      });
      assert.equal(res.status, 200);
      const started = await res.json();
      assert.equal(started.state, "starting");
      assert.equal(started.port, profile.port);
      assert.ok(alive(started.pid));

      const running = await waitFor(() => updates.find((u) => u.state === "running"), "server running");
      assert.equal(running.pid, started.pid);
      assert.equal(running.health, "healthy");
      assert.deepEqual(
        [...new Set(updates.map((u) => u.state))].slice(0, 2),
        ["starting", "running"],
      );
      const health =
        await (await rt.app.request(`/api/servers/${profile.id}/health`, { headers: user.headers })).json();
      assert.equal(health.status, "healthy");

      const stop = await rt.app.request(`/api/servers/${profile.id}/stop`, {
        method: "POST",
        headers: user.headers,
      });
      assert.equal(stop.status, 200);
      const stopped = await stop.json();
      assert.equal(stopped.stopped, true);
      assert.equal(stopped.state, "stopped");
      assert.equal(stopped.last_error, null);
      assert.equal(alive(started.pid), false);
      assert.ok(!updates.some((u) => u.state === "crashed" || u.state === "failed"));
      assert.deepEqual(updates.slice(-2).map((u) => u.state), ["stopping", "stopped"]);

      const list = await (await rt.app.request("/api/servers", { headers: user.headers })).json();
      assert.deepEqual(list, []);
    } finally {
      await rt.close();
    }
  },
);
