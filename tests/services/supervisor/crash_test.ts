import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
import { createUser } from "../../helpers/auth.ts";
import { alive, createProfile, modelDir, recordUpdates, serverEnv } from "../../helpers/servers.ts";
import { waitFor } from "../../helpers/net.ts";
import { type ServerVersion, versionTest } from "../../helpers/versions.ts";
import { CRASH_WINDOW_MS, MAX_CRASHES, restartAfterCrash } from "../../../services/supervisor/restart.ts";

const INTERVAL_S = 1;

async function runningServer(fields: Record<string, unknown> = {}, version: ServerVersion = "1.5.1") {
  const rt = await testRuntime({
    env: serverEnv({ MLX_MANAGER_HEALTH_INTERVAL: String(INTERVAL_S) }, version),
  });
  await rt.start();
  const user = await createUser(rt, { admin: true });
  const profile = await createProfile(rt, user, { model_path: await modelDir(rt.dataDir), ...fields });
  const res = await rt.app.request(`/api/servers/${profile.id}/start?wait=true`, {
    method: "POST",
    headers: user.headers,
  });
  assert.equal(res.status, 200);
  const { pid } = await res.json();
  return { rt, user, profile, pid: pid as number };
}

versionTest("kill -9 of a running server shows it crashed within two health intervals", async (version) => {
  const { rt, profile, pid } = await runningServer({}, version);
  try {
    const { updates } = recordUpdates(rt);
    const killedAt = Date.now();
    Deno.kill(pid, "SIGKILL");
    const crashed = await waitFor(
      () => updates.find((u) => u.state === "crashed"),
      "crashed",
      2 * INTERVAL_S * 1000,
    );
    assert.ok(Date.parse(crashed.updated_at) - killedAt <= 2 * INTERVAL_S * 1000);
    assert.equal(crashed.exit_signal, "SIGKILL");
    assert.equal(crashed.pid, null);
    assert.match(crashed.last_error!, /^The server was killed by SIGKILL/);
    assert.match(crashed.last_error!, /Uvicorn running on/, "the reason carries the last log lines");
    assert.equal(crashed.restart_at, null, "restart_on_crash is off");
    assert.deepEqual(rt.deps.supervisor.list().map((s) => [s.profile_id, s.state]), [[
      profile.id,
      "crashed",
    ]]);
  } finally {
    await rt.close();
  }
});

versionTest("a crashed server with restart_on_crash is started again", async (version) => {
  const { rt, profile, pid } = await runningServer({ restart_on_crash: true }, version);
  try {
    const { updates } = recordUpdates(rt);
    Deno.kill(pid, "SIGKILL");
    const crashed = await waitFor(() => updates.find((u) => u.state === "crashed"), "crashed");
    assert.ok(crashed.restart_at, "a restart is scheduled");
    const again = await waitFor(
      () => updates.find((u) => u.state === "running" && u.pid !== pid),
      "running again with a new process",
    );
    assert.ok(alive(again.pid!));
    assert.equal(rt.deps.supervisor.status(profile.id).state, "running");
  } finally {
    await rt.close();
  }
});

Deno.test("restarts back off exponentially and stop after 5 crashes within 10 minutes", () => {
  const t0 = 1_000_000_000;
  const delays: (number | null)[] = [];
  let crashes: number[] = [];
  for (let i = 0; i < MAX_CRASHES; i++) {
    const next = restartAfterCrash(crashes, t0 + i * 1000);
    crashes = next.crashes;
    delays.push(next.delayMs);
  }
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, null]);
  // Crashes older than the window no longer count.
  assert.equal(restartAfterCrash(crashes, t0 + CRASH_WINDOW_MS + 10_000).delayMs, 1000);
});

versionTest(
  "a stopped process is never reported as crashed even when the server is killed by a signal",
  async (version) => {
    const { rt, user, profile } = await runningServer({ restart_on_crash: true }, version);
    try {
      const { updates } = recordUpdates(rt);
      const res = await rt.app.request(`/api/servers/${profile.id}/stop`, {
        method: "POST",
        headers: user.headers,
      });
      const body = await res.json();
      assert.equal(body.state, "stopped");
      assert.equal(body.exit_signal, "SIGTERM", "the fake re-raises SIGTERM, as uvicorn does");
      assert.ok(!updates.some((u) => u.state === "crashed"));
      assert.equal(body.restart_at, null);
    } finally {
      await rt.close();
    }
  },
);
