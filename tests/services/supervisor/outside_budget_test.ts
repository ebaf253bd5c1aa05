import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser } from "../../helpers/auth.ts";
import { alive, createProfile, modelDir, serverEnv } from "../../helpers/servers.ts";
import { waitFor } from "../../helpers/net.ts";
import { FakeLaunchd } from "../../helpers/fake_launchd.ts";
import { macRunner } from "../../helpers/recorded_runner.ts";
import { AppError } from "../../../lib/errors.ts";

/** The app on a "Mac" whose launchctl is the fake, with a memory budget of `budgetGb`. */
async function mac(budgetGb: number) {
  const launchd = new FakeLaunchd(501, macRunner());
  const rt = await testRuntime({
    env: serverEnv({ MLX_MANAGER_MEMORY_BUDGET_GB: String(budgetGb) }),
    platform: { os: "darwin", uid: 501, runner: launchd },
  });
  const { admin } = await adminAndUser(rt);
  // Each model has 2 GB of weights on paper (a sparse file): about 2.3 GB charged with its context.
  const profile = async (fields: Record<string, unknown> = {}) => {
    const model_path = await modelDir(rt.dataDir);
    const weights = await Deno.open(`${model_path}/model.safetensors`, { create: true, write: true });
    await weights.truncate(2 * 1024 ** 3);
    weights.close();
    return await createProfile(rt, admin, { model_path, ...fields });
  };
  /** A profile installed as a launchd service and running under it. */
  const underLaunchd = async () => {
    const p = await profile({ auto_start: true });
    const res = await rt.app.request(`/api/system/launchd/install/${p.id}`, {
      method: "POST",
      headers: admin.headers,
    });
    assert.equal(res.status, 200, await res.clone().text());
    await res.body?.cancel();
    await waitFor(async () => {
      await rt.deps.launchdServers.refresh();
      return rt.deps.supervisor.status(p.id).state === "running";
    }, "the launchd server runs");
    return p;
  };
  return {
    rt,
    launchd,
    supervisor: rt.deps.supervisor,
    profile,
    underLaunchd,
    async [Symbol.asyncDispose]() {
      await rt.close();
      await launchd.close();
    },
  };
}

Deno.test("a server launchd runs is charged in the memory budget: a start stops the manager's idle server to fit beside it", async () => {
  await using t = await mac(5);
  const outside = await t.underLaunchd();
  const launchdPid = t.supervisor.status(outside.id).pid!;
  const idle = await t.profile();
  (await t.supervisor.acquire(idle.id)).release();
  const idlePid = t.supervisor.status(idle.id).pid!;

  // 2.3 GB (launchd) + 2.3 GB (idle) + 2.3 GB (new) is over 5 GB: the idle one goes, launchd's stays.
  const fresh = await t.profile();
  const lease = await t.supervisor.acquire(fresh.id);
  assert.equal(t.supervisor.status(idle.id).state, "stopped", "the manager's idle server made room");
  assert.equal(alive(idlePid), false);
  assert.equal(t.supervisor.status(fresh.id).state, "running");
  assert.equal(t.supervisor.status(outside.id).managed_by, "launchd");
  assert.ok(alive(launchdPid), "launchd's server is never stopped to make room");
  lease.release();
});

Deno.test("a start that fits only without launchd's server waits, and goes ahead once that server stops", async () => {
  await using t = await mac(4);
  const outside = await t.underLaunchd();
  const wanted = await t.profile({ queue_timeout: 5 });

  const controller = new AbortController();
  const gaveUp = new Error("gave up");
  const waiting = t.supervisor.acquire(wanted.id, { signal: controller.signal });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(t.supervisor.status(wanted.id).state, "starting", "it waits for room");
  assert.equal(t.supervisor.status(wanted.id).pid, null, "no process yet");
  controller.abort(gaveUp);
  await assert.rejects(waiting, (e) => e === gaveUp);

  const next = t.supervisor.acquire(wanted.id);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(t.supervisor.status(wanted.id).pid, null);
  await t.supervisor.stop(outside.id);
  const lease = await next;
  assert.equal(t.supervisor.status(wanted.id).state, "running", "the room launchd's server left was used");
  lease.release();

  // Alone over the budget is still refused at once, launchd or not.
  const big = await t.profile();
  const weights = await Deno.open(`${big.model_path}/model.safetensors`, { write: true });
  await weights.truncate(5 * 1024 ** 3);
  weights.close();
  await assert.rejects(
    t.supervisor.acquire(big.id),
    (e) => e instanceof AppError && e.reason === "model_exceeds_memory_budget",
  );
});

Deno.test("a launchd server that stops outside the manager frees its room at the next sweep", async () => {
  await using t = await mac(4);
  const outside = await t.underLaunchd();
  const wanted = await t.profile({ queue_timeout: 5 });
  const next = t.supervisor.acquire(wanted.id);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(t.supervisor.status(wanted.id).pid, null, "it waits for room");
  const result = await t.launchd.run("launchctl", [
    "bootout",
    `gui/501/com.mlx-manager.profile-${outside.id}`,
  ]);
  assert.equal(result.code, 0);
  await t.supervisor.tick();
  const lease = await next;
  assert.equal(t.supervisor.status(wanted.id).state, "running");
  lease.release();
});
