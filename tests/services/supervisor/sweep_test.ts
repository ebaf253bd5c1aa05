import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser } from "../../helpers/auth.ts";
import { createProfile, modelDir, serverEnv } from "../../helpers/servers.ts";
import { waitFor } from "../../helpers/net.ts";
import { FakeLaunchd } from "../../helpers/fake_launchd.ts";
import { macRunner } from "../../helpers/recorded_runner.ts";
import { type CommandRunner, DenoCommandRunner, type RunOptions } from "../../../services/platform/runner.ts";

/** The real runner, counting the `ps` runs. */
class CountingRunner implements CommandRunner {
  readonly #real = new DenoCommandRunner();
  ps = 0;
  run(cmd: string, args: string[], options?: RunOptions) {
    if (cmd === "ps" && args[0] === "-A") this.ps++;
    return this.#real.run(cmd, args, options);
  }
}

Deno.test("Supervisor.tick() samples the manager's and launchd's servers with one ps", async () => {
  const launchd = new FakeLaunchd(501, macRunner());
  const processes = new CountingRunner();
  await using rt = await testRuntime({
    // A long interval: only the explicit tick below samples.
    env: serverEnv({ MLX_MANAGER_HEALTH_INTERVAL: "3600" }),
    platform: { os: "darwin", uid: 501, runner: launchd, processes },
  });
  try {
    const { admin } = await adminAndUser(rt);
    const { supervisor } = rt.deps;
    const own = await createProfile(rt, admin, { model_path: await modelDir(rt.dataDir) });
    const managed = await createProfile(rt, admin, {
      model_path: await modelDir(rt.dataDir),
      auto_start: true,
    });
    const install = await rt.app.request(`/api/system/launchd/install/${managed.id}`, {
      method: "POST",
      headers: admin.headers,
    });
    assert.equal(install.status, 200, await install.text());
    await supervisor.start(own.id, { wait: true });
    await waitFor(async () => {
      await rt.deps.launchdServers.refresh();
      return supervisor.status(managed.id).state === "running";
    }, "the launchd server turns running");

    processes.ps = 0;
    const launchctlCalls = launchd.calls.length;
    await supervisor.tick();
    assert.ok(launchd.calls.length > launchctlCalls, "launchd's jobs are read in the same sweep");
    assert.equal(processes.ps, 1, "one ps for both servers");
    assert.ok(supervisor.status(own.id).memory_bytes! > 0, "the manager's server is sampled");
    const outside = supervisor.status(managed.id);
    assert.equal(outside.managed_by, "launchd");
    assert.ok(outside.memory_bytes! > 0, "launchd's server is sampled from the same ps");
  } finally {
    await rt.close();
    await launchd.close();
  }
});
