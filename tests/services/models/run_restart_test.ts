import assert from "node:assert/strict";
import { join } from "node:path";
import { createUser, json, type TestUser } from "../../helpers/auth.ts";
import { waitFor } from "../../helpers/net.ts";
import { type TestRuntime, testRuntime } from "../../helpers/runtime.ts";
import { createProfile, serverEnv } from "../../helpers/servers.ts";
import { type FakeHub, startFakeHub } from "../../fixtures/fake_hub.ts";
import { KvRunStore } from "../../../services/models/run_store.ts";
import type { PendingRun } from "../../../services/models/run.ts";

const QWEN = "mlx-community/Qwen3-8B-4bit";

/** A data dir with a database and a KV file, which two runtimes open one after the other. */
async function restartable(hub: FakeHub) {
  const dataDir = await Deno.makeTempDir({ prefix: "mlx-manager-run-restart-" });
  const env = serverEnv({
    MLX_MANAGER_OFFLINE: "false",
    HF_ENDPOINT: hub.url,
    MLX_MANAGER_DATABASE_PATH: join(dataDir, "mlx-manager.db"),
    MLX_MANAGER_KV_PATH: join(dataDir, "kv.sqlite3"),
  });
  return { dataDir, kvPath: join(dataDir, "kv.sqlite3"), open: () => testRuntime({ env, dataDir }) };
}

async function runs(rt: TestRuntime, who: TestUser): Promise<PendingRun[]> {
  const res = await rt.app.request("/api/models/runs", { headers: who.headers });
  assert.equal(res.status, 200, await res.clone().text());
  return await res.json();
}

Deno.test("ModelRunner.resume() starts the server of a run whose download resumes after the manager restarts", async () => {
  const hub = startFakeHub([{ id: QWEN, weightBytes: 2_000_000 }], { bytesPerSecond: 200_000 });
  const { dataDir, open } = await restartable(hub);
  let second: TestRuntime | null = null;
  try {
    const first = await open();
    let admin: TestUser;
    let profileId: number;
    let taskId: string;
    try {
      admin = await createUser(first, { admin: true });
      const res = await first.app.request(
        "/api/models/run",
        json("POST", { model_id: QWEN }, admin.headers),
      );
      assert.equal(res.status, 202, await res.clone().text());
      const answer = await res.json() as { profile_id: number; download_task_id: string };
      profileId = answer.profile_id;
      taskId = answer.download_task_id;
      assert.ok(taskId, "the run waits for a download");
      assert.equal((await runs(first, admin)).length, 1);
      await waitFor(
        () => (first.deps.downloads.get(taskId)?.downloaded_bytes ?? 0) > 0,
        "download under way",
      );
    } finally {
      await first.close();
    }

    hub.knobs.bytesPerSecond = 20_000_000;
    second = await open();
    // Before start(): the download has not resumed and nothing was started.
    assert.notEqual(second.deps.downloads.get(taskId)?.status, "completed");
    await second.start();
    const listed = await runs(second, admin);
    assert.deepEqual(listed, [{
      profile_id: profileId,
      profile_name: "Qwen3-8B-4bit",
      model_id: QWEN,
      download_task_id: taskId,
    }], "the run is listed again after the restart, until its download ends");
    await waitFor(
      () => second!.deps.downloads.get(taskId)?.status === "completed",
      "download resumed",
      30_000,
    );
    await waitFor(
      () => second!.deps.supervisor.status(profileId).state === "running",
      "server started",
      30_000,
    );
    await waitFor(async () => (await runs(second!, admin)).length === 0, "the run is done");
  } finally {
    await second?.close();
    await hub.close();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});

Deno.test("ModelRunner.resume() starts at once a run whose download completed while the manager was down, and drops one whose download is gone", async () => {
  // The hub knows both repositories (a profile's model is checked when it is saved).
  const hub = startFakeHub([{ id: QWEN }, { id: "mlx-community/Gone-4bit" }]);
  const { dataDir, kvPath, open } = await restartable(hub);
  let second: TestRuntime | null = null;
  try {
    // The state a crash leaves between a download's end and its server's start.
    const first = await open();
    let admin: TestUser;
    let profileId: number;
    let goneId: number;
    let taskId: string;
    try {
      admin = await createUser(first, { admin: true });
      profileId = (await createProfile(first, admin, { model_path: QWEN })).id;
      goneId = (await createProfile(first, admin, { model_path: "mlx-community/Gone-4bit" })).id;
      taskId = (await first.deps.downloads.request(QWEN, admin.id)).view.task_id;
      await waitFor(() => first.deps.downloads.get(taskId)?.status === "completed", "downloaded");
    } finally {
      await first.close();
    }
    const kv = await Deno.openKv(kvPath);
    try {
      const store = new KvRunStore(kv);
      const base = { requested_by: admin.id, requested_at: Date.now() };
      await store.put({
        ...base,
        profile_id: profileId,
        profile_name: "Qwen3",
        model_id: QWEN,
        download_task_id: taskId,
      });
      await store.put({
        ...base,
        profile_id: goneId,
        profile_name: "Gone",
        model_id: "mlx-community/Gone-4bit",
        download_task_id: crypto.randomUUID(),
      });
    } finally {
      kv.close();
    }

    second = await open();
    const notices: string[] = [];
    second.deps.bus.on("notice", (n) => void notices.push((n as { message: string }).message));
    await second.start();
    await waitFor(
      () => second!.deps.supervisor.status(profileId).state === "running",
      "server started",
      30_000,
    );
    assert.equal(second.deps.supervisor.status(goneId).state, "stopped");
    assert.deepEqual(notices, ["mlx-community/Gone-4bit was not started: its download was removed"]);
    assert.deepEqual(await runs(second, admin), []);
  } finally {
    await second?.close();
    await hub.close();
  }
  // Both runs were removed from the store, so a third start starts nothing again.
  const kv = await Deno.openKv(kvPath);
  try {
    assert.deepEqual(await new KvRunStore(kv).list(), []);
  } finally {
    kv.close();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
