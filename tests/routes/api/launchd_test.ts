import assert from "node:assert/strict";
import { join } from "node:path";
import { testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser, json } from "../../helpers/auth.ts";
import { alive, createProfile, modelDir, serverEnv } from "../../helpers/servers.ts";
import { waitFor } from "../../helpers/net.ts";
import { FakeLaunchd } from "../../helpers/fake_launchd.ts";
import { macRunner } from "../../helpers/recorded_runner.ts";
import { parsePlistStrict } from "../../helpers/plist_parser.ts";
import { buildLaunchCommand } from "../../../services/supervisor/command.ts";
import type { ServerStatus } from "../../../lib/event_types.ts";

/** The app on a "Mac" whose launchctl is the fake: launchd jobs really run the fake server. */
async function mac() {
  const launchd = new FakeLaunchd(501, macRunner());
  const rt = await testRuntime({ env: serverEnv(), platform: { os: "darwin", uid: 501, runner: launchd } });
  const { admin, user } = await adminAndUser(rt);
  const post = (path: string, headers = admin.headers) => rt.app.request(path, { method: "POST", headers });
  const get = (path: string, headers = admin.headers) => rt.app.request(path, { headers });
  return {
    rt,
    launchd,
    admin,
    user,
    post,
    get,
    servers: async (): Promise<ServerStatus[]> => await (await get("/api/servers")).json(),
    async close() {
      await rt.close();
      await launchd.close();
    },
  };
}

Deno.test("launchd routes are for admins only", async () => {
  const t = await mac();
  try {
    for (
      const [method, path] of [["POST", "/api/system/launchd/install/1"], [
        "GET",
        "/api/system/launchd/plist/1",
      ]]
    ) {
      const forbidden = await t.rt.app.request(path, { method, headers: t.user.headers });
      assert.equal(forbidden.status, 403);
      assert.equal((await forbidden.json()).detail, "Admin access required");
      const anonymous = await t.rt.app.request(path, { method });
      assert.equal(anonymous.status, 401);
      await anonymous.body?.cancel();
    }
  } finally {
    await t.close();
  }
});

Deno.test("off macOS launchd routes answer 501, but the plist preview renders the supervisor's command", async () => {
  const rt = await testRuntime({
    env: serverEnv(),
    platform: { os: "linux", uid: 1000, runner: macRunner() },
  });
  try {
    const { admin } = await adminAndUser(rt);
    const profile = await createProfile(rt, admin, {
      model_path: "mlx-community/Qwen3-4B-4bit",
      auto_start: true,
      name: "Qwen & <friends>",
    });
    for (const [method, path] of [["POST", "install"], ["POST", "uninstall"], ["GET", "status"]]) {
      const res = await rt.app.request(`/api/system/launchd/${path}/${profile.id}`, {
        method,
        headers: admin.headers,
      });
      assert.equal(res.status, 501, path);
      assert.deepEqual(await res.json(), {
        detail: "launchd services are macOS-only: this manager runs on linux",
        code: "launchd_unavailable",
      });
    }
    const res = await rt.app.request(`/api/system/launchd/plist/${profile.id}`, { headers: admin.headers });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.label, `com.mlx-manager.profile-${profile.id}`);
    assert.equal(body.plist_path, join(rt.dataDir, "Library", "LaunchAgents", `${body.label}.plist`));
    const plist = parsePlistStrict(body.plist) as Record<string, unknown>;
    const command = buildLaunchCommand(profile, await rt.deps.serverInfo.get(), {
      hfHome: rt.deps.config.hfHome,
      hfHubCache: rt.deps.config.hfHubCache,
      offline: rt.deps.config.offline,
    });
    assert.deepEqual(plist.ProgramArguments, [command.executable, ...command.args]);
    assert.equal(plist.RunAtLoad, true);
    assert.deepEqual(plist.KeepAlive, { SuccessfulExit: false });
    assert.equal(plist.StandardOutPath, join(rt.dataDir, "logs", `server-${profile.id}.log`));
    const env = plist.EnvironmentVariables as Record<string, string>;
    assert.equal(env.PYTHONUNBUFFERED, "1");
    assert.equal(env.HOME, rt.dataDir);
    const missing = await rt.app.request("/api/system/launchd/plist/999", { headers: admin.headers });
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { detail: "Profile not found", code: "not_found" });
  } finally {
    await rt.close();
  }
});

Deno.test("an installed profile runs under launchd, shows as managed by launchd, and stops and starts through it", async () => {
  const t = await mac();
  try {
    const profile = await createProfile(t.rt, t.admin, {
      model_path: await modelDir(t.rt.dataDir),
      auto_start: true,
    });
    const install = await t.post(`/api/system/launchd/install/${profile.id}`);
    assert.equal(install.status, 200, await install.clone().text());
    const installed = await install.json();
    const label = `com.mlx-manager.profile-${profile.id}`;
    assert.equal(installed.label, label);
    assert.ok((await Deno.stat(installed.plist_path)).isFile);
    assert.equal(installed.status.running, true, "RunAtLoad started it");
    const pid = t.launchd.pid(label)!;
    assert.equal(installed.status.pid, pid);

    // The dashboard lists it as launchd's, running once its /health answers.
    const running = await waitFor(async () => {
      await t.rt.deps.launchdServers.refresh();
      return (await t.servers()).find((s) => s.profile_id === profile.id && s.state === "running");
    }, "the launchd server turns running");
    assert.equal(running.managed_by, "launchd");
    assert.equal(running.pid, pid);
    assert.equal(running.health, "healthy");
    assert.ok(running.memory_bytes! > 0, "its memory is sampled");

    // Starting it again does not spawn a second server.
    const again = await t.post(`/api/servers/${profile.id}/start`);
    assert.equal(again.status, 200);
    assert.equal((await again.json()).pid, pid);
    assert.deepEqual(
      t.launchd.calls.filter((c) => c.startsWith("bootstrap") || c.startsWith("kickstart")).length,
      1,
    );

    // Stop: launchd unloads the job; the plist stays for the next login.
    const stop = await t.post(`/api/servers/${profile.id}/stop`);
    assert.equal(stop.status, 200);
    await stop.body?.cancel();
    assert.equal(alive(pid), false);
    assert.deepEqual(await t.servers(), []);
    const status = await (await t.get(`/api/system/launchd/status/${profile.id}`)).json();
    assert.deepEqual([status.installed, status.loaded, status.running], [true, false, false]);

    // Start: loaded again through launchd.
    const start = await t.post(`/api/servers/${profile.id}/start`);
    assert.equal(start.status, 200);
    await start.body?.cancel();
    const newPid = t.launchd.pid(label);
    assert.ok(newPid && newPid !== pid);
    assert.equal((await t.servers())[0].managed_by, "launchd");

    // Uninstall: stopped, plist removed, the manager owns the profile again.
    const uninstall = await t.post(`/api/system/launchd/uninstall/${profile.id}`);
    assert.equal(uninstall.status, 204);
    assert.equal(alive(newPid!), false);
    assert.equal(await Deno.stat(installed.plist_path).catch(() => null), null);
    assert.equal(t.rt.deps.launchdServers.owns(profile.id), false);
    const after = await (await t.get(`/api/servers/${profile.id}/status`)).json();
    assert.deepEqual([after.state, after.managed_by], ["stopped", "manager"]);
  } finally {
    await t.close();
  }
});

Deno.test("the server writes its log where the dashboard's log panel reads it", async () => {
  const t = await mac();
  try {
    const profile = await createProfile(t.rt, t.admin, {
      model_path: await modelDir(t.rt.dataDir),
      auto_start: true,
    });
    const install = await t.post(`/api/system/launchd/install/${profile.id}`);
    assert.equal(install.status, 200);
    await install.body?.cancel();
    const log = join(t.rt.dataDir, "logs", `server-${profile.id}.log`);
    await waitFor(
      async () => (await Deno.readTextFile(log).catch(() => "")).includes("Uvicorn running on"),
      "log",
    );
    await t.rt.deps.supervisor.loadLogHistory(profile.id);
    assert.ok(t.rt.deps.supervisor.logLines(profile.id, 50).some((l) => l.includes("Uvicorn running on")));
  } finally {
    await t.close();
  }
});

Deno.test("a profile without auto-start installs loaded but idle; auto-start at manager start skips launchd's profiles", async () => {
  const t = await mac();
  try {
    const idle = await createProfile(t.rt, t.admin, {
      model_path: await modelDir(t.rt.dataDir),
      auto_start: false,
    });
    const res = await t.post(`/api/system/launchd/install/${idle.id}`);
    const body = await res.json();
    assert.deepEqual([body.status.loaded, body.status.running], [true, false]);
    assert.deepEqual(await t.servers(), []);

    const owned = await createProfile(t.rt, t.admin, {
      model_path: await modelDir(t.rt.dataDir),
      auto_start: true,
    });
    await (await t.post(`/api/system/launchd/install/${owned.id}`)).body?.cancel();
    const pid = t.launchd.pid(`com.mlx-manager.profile-${owned.id}`);
    await t.rt.deps.supervisor.autoStart();
    const internal = (await t.servers()).filter((s) => s.managed_by === "manager");
    assert.deepEqual(internal, [], "the manager started nothing itself");
    assert.equal(t.launchd.pid(`com.mlx-manager.profile-${owned.id}`), pid);
  } finally {
    await t.close();
  }
});

Deno.test("install is refused while the manager runs the server itself, and deleting a profile removes its agent", async () => {
  const t = await mac();
  try {
    const profile = await createProfile(t.rt, t.admin, { model_path: await modelDir(t.rt.dataDir) });
    await t.rt.deps.supervisor.start(profile.id, { wait: true });
    const refused = await t.post(`/api/system/launchd/install/${profile.id}`);
    assert.equal(refused.status, 409);
    assert.match((await refused.json()).detail, /is running under MLX Manager: stop it first/);
    await t.rt.deps.supervisor.stop(profile.id);

    const install = await t.post(`/api/system/launchd/install/${profile.id}`);
    assert.equal(install.status, 200);
    const { plist_path } = await install.json();
    const removed = await t.rt.app.request(
      `/api/profiles/${profile.id}`,
      json("DELETE", undefined, t.admin.headers),
    );
    assert.equal(removed.status, 204);
    assert.equal(await Deno.stat(plist_path).catch(() => null), null, "the plist went with the profile");
    assert.equal(t.launchd.jobs.size, 0);
  } finally {
    await t.close();
  }
});

Deno.test("status of an unknown profile is 404 and a launchctl failure is a clear 500", async () => {
  const t = await mac();
  try {
    const missing = await t.get("/api/system/launchd/status/999");
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
    const profile = await createProfile(t.rt, t.admin, { model_path: await modelDir(t.rt.dataDir) });
    await Deno.mkdir(join(t.rt.dataDir, "Library", "LaunchAgents"), { recursive: true });
    // A plist launchd refuses: bootstrap fails, the install reports it and leaves nothing behind.
    const original = t.launchd.run.bind(t.launchd);
    t.launchd.run = (cmd, args, options) =>
      cmd === "launchctl" && args[0] === "bootstrap"
        ? Promise.resolve({ code: 5, stdout: "", stderr: "Bootstrap failed: 5: Input/output error\n" })
        : original(cmd, args, options);
    const res = await t.post(`/api/system/launchd/install/${profile.id}`);
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), {
      detail:
        `launchctl could not load com.mlx-manager.profile-${profile.id}: Bootstrap failed: 5: Input/output error`,
      code: "launchctl_failed",
    });
  } finally {
    await t.close();
  }
});
