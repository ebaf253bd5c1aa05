import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser } from "../../helpers/auth.ts";
import { createProfile, modelDir, recordUpdates, serverEnv } from "../../helpers/servers.ts";
import { waitFor } from "../../helpers/net.ts";
import { ManualClock } from "../../helpers/clock.ts";
import { type ServerVersion, versionTest } from "../../helpers/versions.ts";
import { AppError } from "../../../lib/errors.ts";
import type { Profile } from "../../../db/profiles.ts";

async function setup(
  env: Record<string, string> = {},
  options: { clock?: ManualClock; version?: ServerVersion } = {},
) {
  const rt = await testRuntime({
    env: serverEnv(env, options.version ?? "1.5.1"),
    runtime: { clock: options.clock },
  });
  const { admin } = await adminAndUser(rt);
  const profile = async (fields: Partial<Profile> = {}, knobs: Record<string, unknown> = {}) =>
    await createProfile(rt, admin, { model_path: await modelDir(rt.dataDir, knobs), ...fields });
  return { rt, supervisor: rt.deps.supervisor, profile };
}

/** Asserts that `promise` rejects with an AppError of `code` and `reason`; returns it. */
async function rejectsWith(promise: Promise<unknown>, code: string, reason?: string): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, `an AppError, not ${error}`);
    assert.equal(error.code, code);
    if (reason) assert.equal(error.reason, reason);
    return error;
  }
  throw new Error("it did not reject");
}

versionTest(
  "Supervisor.acquire() starts a stopped profile, and 20 concurrent acquires share one start",
  async (version) => {
    const { rt, supervisor, profile } = await setup({}, { version });
    await using _ = rt;
    const p = await profile({ max_concurrency: 20 });
    const leases = await Promise.all(Array.from({ length: 20 }, () => supervisor.acquire(p.id)));
    const status = supervisor.status(p.id);
    assert.equal(status.state, "running");
    assert.equal(status.in_flight, 20);
    assert.equal(
      status.started_for,
      p.name,
      "started for a request, named by the profile when no model is given",
    );
    assert.ok(leases.every((l) => l.coldStart), "every one joined the start");
    assert.ok(leases.every((l) => l.baseUrl === `http://127.0.0.1:${p.port}` && l.profileId === p.id));
    // The name requests must carry: 1.8 was started under the profile's served name, 1.5 takes any.
    const served = version === "1.5.1" ? null : `profile-${p.id}`;
    assert.ok(leases.every((l) => l.servedModel === served));
    const starts = supervisor.logLines(p.id, 1000).filter((l) => l.includes("Starting: "));
    assert.equal(starts.length, 1, "one process");
    const health = await fetch(`${leases[0].baseUrl}/health`);
    assert.equal(health.status, 200, "the lease's address reaches the server");
    await health.body?.cancel();
    for (const lease of leases) lease.release();
    leases[0].release();
    assert.equal(supervisor.status(p.id).in_flight, 0, "release is idempotent");
    const warm = await supervisor.acquire(p.id);
    assert.equal(warm.coldStart, false);
    warm[Symbol.dispose]();
    assert.equal(supervisor.status(p.id).in_flight, 0, "disposing releases");
  },
);

Deno.test("Supervisor.acquire() refuses an unknown profile and reports a failed start with the server's reason", async () => {
  const { rt, supervisor, profile } = await setup();
  await using _ = rt;
  await rejectsWith(supervisor.acquire(9999), "not_found");
  const broken = await profile({}, { fail: "model_not_found" });
  const failures = await Promise.allSettled([supervisor.acquire(broken.id), supervisor.acquire(broken.id)]);
  for (const failure of failures) {
    assert.equal(failure.status, "rejected");
    const error = (failure as PromiseRejectedResult).reason as AppError;
    assert.equal(error.code, "unavailable");
    assert.equal(error.reason, "model_start_failed");
    assert.match(error.message, /could not start: This model's architecture \(fake_arch\) is not supported/);
  }
  assert.equal(supervisor.status(broken.id).state, "failed");
});

versionTest(
  "Supervisor.acquire() queues beyond max_concurrency, refuses a full queue and times out a long wait",
  async (version) => {
    const { rt, supervisor, profile } = await setup({}, { version });
    await using _ = rt;
    const p = await profile({ max_concurrency: 1, queue_size: 1, queue_timeout: 1 });
    const first = await supervisor.acquire(p.id);
    const { updates, stop } = recordUpdates(rt);
    const waiting = supervisor.acquire(p.id);
    await waitFor(() => supervisor.status(p.id).queued === 1, "one waits");
    const full = await rejectsWith(supervisor.acquire(p.id), "rate_limited", "queue_full");
    assert.ok(full.retryAfter! > 0);
    const timedOut = await rejectsWith(waiting, "unavailable", "queue_timeout");
    assert.ok(timedOut.retryAfter! > 0);
    assert.equal(supervisor.status(p.id).queued, 0);
    stop();
    assert.ok(updates.some((u) => u.profile_id === p.id && u.queued === 1), "the queue depth is pushed");

    const next = supervisor.acquire(p.id);
    first.release();
    const lease = await next;
    assert.ok(lease.queueMs >= 0);
    assert.equal(supervisor.status(p.id).in_flight, 1, "the released slot went to the waiting request");
    lease.release();
  },
);

Deno.test("Supervisor.acquire() leaves the queue with the signal's reason when it aborts", async () => {
  const { rt, supervisor, profile } = await setup();
  await using _ = rt;
  const p = await profile({ max_concurrency: 1 });
  const held = await supervisor.acquire(p.id);
  const controller = new AbortController();
  const waiting = supervisor.acquire(p.id, { signal: controller.signal });
  await waitFor(() => supervisor.status(p.id).queued === 1, "it waits");
  const reason = new Error("client went away");
  controller.abort(reason);
  await assert.rejects(waiting, (error) => error === reason);
  assert.equal(supervisor.status(p.id).queued, 0);
  await assert.rejects(supervisor.acquire(p.id, { signal: AbortSignal.abort(reason) }), (e) => e === reason);
  held.release();
});

Deno.test("idle_timeout stops the server after the last release, never while a lease is held", async () => {
  const clock = new ManualClock();
  const { rt, supervisor, profile } = await setup({}, { clock });
  await using _ = rt;
  const p = await profile({ idle_timeout: 1 });
  const lease = await supervisor.acquire(p.id);
  clock.advance(1500);
  assert.equal(supervisor.status(p.id).state, "running", "a held lease keeps it");
  lease.release();
  clock.advance(999);
  assert.equal(supervisor.status(p.id).state, "running", "idle for less than idle_timeout");
  clock.advance(1);
  await waitFor(() => supervisor.status(p.id).state === "stopped", "stopped after the idle timeout", 5000);

  // A request after the unload starts it again.
  const again = await supervisor.acquire(p.id);
  assert.equal(again.coldStart, true);
  again.release();
});

Deno.test("an idle_timeout set while the server runs applies at once", async () => {
  const clock = new ManualClock();
  const { rt, supervisor, profile } = await setup({}, { clock });
  await using _ = rt;
  const p = await profile();
  (await supervisor.acquire(p.id)).release();
  await rt.deps.profiles.update(p.id, { idle_timeout: 1 });
  clock.advance(1000);
  await waitFor(() => supervisor.status(p.id).state === "stopped", "stopped by the new idle timeout", 5000);
});

versionTest("a request that arrives while its server stops waits and starts it again", async (version) => {
  const { rt, supervisor, profile } = await setup({ MLX_MANAGER_STOP_TIMEOUT: "1" }, { version });
  await using _ = rt;
  const p = await profile({}, { ignore_sigterm: "1" });
  await supervisor.start(p.id, { wait: true });
  const firstPid = supervisor.status(p.id).pid;
  const stopping = supervisor.stop(p.id);
  await waitFor(() => supervisor.status(p.id).state === "stopping", "stopping");
  const lease = await supervisor.acquire(p.id);
  await stopping;
  const status = supervisor.status(p.id);
  assert.equal(status.state, "running");
  assert.notEqual(status.pid, firstPid, "a new process");
  assert.equal(lease.coldStart, true);
  lease.release();
});

Deno.test("MLX_MANAGER_MAX_LOADED_MODELS stops the least recently used idle server, never a keep_loaded one", async () => {
  const { rt, supervisor, profile } = await setup({ MLX_MANAGER_MAX_LOADED_MODELS: "2" });
  await using _ = rt;
  const [a, b, c] = [await profile(), await profile(), await profile()];
  (await supervisor.acquire(a.id)).release();
  (await supervisor.acquire(b.id)).release();
  (await supervisor.acquire(a.id)).release(); // b is now the least recently used
  (await supervisor.acquire(c.id)).release();
  assert.equal(supervisor.status(b.id).state, "stopped", "the least recently used went");
  assert.equal(supervisor.status(a.id).state, "running");
  assert.equal(supervisor.status(c.id).state, "running");

  // With a and c kept loaded (a by its flag, c by a held lease), b waits and can give up.
  await rt.deps.profiles.update(a.id, { keep_loaded: true });
  const held = await supervisor.acquire(c.id);
  const gaveUp = new Error("gave up");
  const controller = new AbortController();
  const waiting = supervisor.acquire(b.id, { signal: controller.signal });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(supervisor.status(a.id).state, "running", "keep_loaded is never evicted");
  assert.equal(supervisor.status(c.id).state, "running", "a busy server is never evicted");
  controller.abort(gaveUp);
  await assert.rejects(waiting, (e) => e === gaveUp);

  // Once c's lease ends, b's next request evicts c.
  const next = supervisor.acquire(b.id);
  held.release();
  (await next).release();
  assert.equal(supervisor.status(c.id).state, "stopped");
  assert.equal(supervisor.status(a.id).state, "running");
});

Deno.test("a model alone over MLX_MANAGER_MEMORY_BUDGET_GB is refused with the figures", async () => {
  const { rt, supervisor, profile } = await setup({ MLX_MANAGER_MEMORY_BUDGET_GB: "1" });
  await using _ = rt;
  const big = await profile();
  const weights = await Deno.open(`${big.model_path}/model.safetensors`, { create: true, write: true });
  await weights.truncate(2 * 1024 ** 3); // sparse: 2 GB on paper, nothing on disk
  weights.close();
  const error = await rejectsWith(supervisor.acquire(big.id), "unavailable", "model_exceeds_memory_budget");
  assert.match(error.message, /about 2\.\d GB, more than the whole memory budget of 1\.0 GB/);
  assert.equal(supervisor.status(big.id).state, "stopped", "nothing was started");
  assert.equal(supervisor.status(big.id).pid, null);
});
