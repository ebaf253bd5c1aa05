import assert from "node:assert/strict";
import { adminAndUser, json, type TestUser } from "../../helpers/auth.ts";
import { waitFor } from "../../helpers/net.ts";
import { type TestRuntime, testRuntime } from "../../helpers/runtime.ts";
import { createProfile, modelDir, serverEnv } from "../../helpers/servers.ts";
import { type FakeHub, startFakeHub } from "../../fixtures/fake_hub.ts";
import { MODEL_CONFIGS } from "../../fixtures/model_configs.ts";
import type { Profile } from "../../../db/profiles.ts";
import { fakeServerOf } from "../../helpers/versions.ts";

const QWEN = "mlx-community/Qwen3-8B-4bit";
const VL = "mlx-community/Qwen3-VL-8B-Instruct-4bit";
const DRAFT = "mlx-community/Qwen3-0.6B-4bit";

interface Ctx {
  rt: TestRuntime;
  hub: FakeHub;
  admin: TestUser;
  user: TestUser;
  run(who: TestUser, modelId: unknown): Promise<Response>;
}

async function withApp(fn: (ctx: Ctx) => Promise<void>, env: Record<string, string> = {}): Promise<void> {
  const hub = startFakeHub([
    { id: QWEN },
    { id: DRAFT },
    { id: VL, config: MODEL_CONFIGS[VL], tags: ["mlx", "image-text-to-text"] },
    { id: "org/Gated-Model", gated: "manual", tags: ["mlx"] },
  ]);
  const rt = await testRuntime({
    env: serverEnv({ MLX_MANAGER_OFFLINE: "false", HF_ENDPOINT: hub.url, ...env }),
  });
  try {
    const { admin, user } = await adminAndUser(rt);
    const run = async (who: TestUser, modelId: unknown) =>
      await rt.app.request("/api/models/run", json("POST", { model_id: modelId }, who.headers));
    await fn({ rt, hub, admin, user, run });
  } finally {
    await rt.close();
    await hub.close();
  }
}

async function answer<T>(res: Response, status: number): Promise<T> {
  assert.equal(res.status, status, await res.clone().text());
  return await res.json() as T;
}

function profileOf(rt: TestRuntime, id: number): Profile {
  return rt.deps.profiles.get(id);
}

Deno.test("POST /api/models/run creates a detected profile, downloads the model, then starts it", async () => {
  await withApp(async ({ rt, hub, admin, run }) => {
    // Slow enough to see the run waiting for its download.
    hub.knobs.bytesPerSecond = 400_000;
    const first = await answer<{ profile_id: number; download_task_id: string | null; created: boolean }>(
      await run(admin, QWEN),
      202,
    );
    assert.equal(first.created, true);
    assert.ok(first.download_task_id, "a download was started");
    const profile = profileOf(rt, first.profile_id);
    assert.equal(profile.name, "Qwen3-8B-4bit");
    assert.equal(profile.model_path, QWEN);
    assert.equal(profile.model_type, "lm");
    assert.equal(profile.tool_call_parser, "qwen3");
    assert.equal(profile.reasoning_parser, "qwen3");
    assert.ok(profile.port >= rt.deps.config.defaultPortStart);
    // While the download runs, the run is listed for the dashboard.
    const pending = await answer<unknown[]>(
      await rt.app.request("/api/models/runs", { headers: admin.headers }),
      200,
    );
    assert.deepEqual(pending, [{
      profile_id: profile.id,
      profile_name: "Qwen3-8B-4bit",
      model_id: QWEN,
      download_task_id: first.download_task_id,
    }]);
    assert.equal(
      rt.deps.supervisor.status(profile.id).state,
      "stopped",
      "not started before the download ends",
    );
    await waitFor(() => rt.deps.downloads.get(first.download_task_id!)?.status === "completed", "downloaded");
    await waitFor(() => rt.deps.supervisor.status(profile.id).state === "running", "running", 30_000);
    assert.deepEqual(rt.deps.modelRuns.pending(), []);
    assert.equal(await rt.deps.models.local.isDownloaded(QWEN), true);

    // A second run reuses the profile and needs no download.
    const again = await answer<{ profile_id: number; download_task_id: string | null; created: boolean }>(
      await run(admin, QWEN),
      202,
    );
    assert.deepEqual(again, { profile_id: profile.id, download_task_id: null, created: false });
    assert.equal(rt.deps.profiles.list().length, 1);
  });
});

Deno.test("POST /api/models/run joins a download under way instead of starting the server on its partial files", async () => {
  await withApp(async ({ rt, hub, admin, run }) => {
    hub.knobs.bytesPerSecond = 200_000;
    const profile = await createProfile(rt, admin, { model_path: QWEN });
    const { task_id } = (await rt.deps.downloads.request(QWEN, admin.id)).view;
    // Its small files are written first: the snapshot exists before the weights do.
    await waitFor(() => rt.deps.models.local.isDownloaded(QWEN), "config.json written");
    assert.notEqual(rt.deps.downloads.get(task_id)?.status, "completed");
    const joined = await answer<{ profile_id: number; download_task_id: string | null }>(
      await run(admin, QWEN),
      202,
    );
    assert.deepEqual(joined, { profile_id: profile.id, download_task_id: task_id, created: false });
    assert.equal(rt.deps.supervisor.status(profile.id).state, "stopped", "not started on partial files");
    await waitFor(() => rt.deps.supervisor.status(profile.id).state === "running", "running", 30_000);
    assert.equal(rt.deps.downloads.get(task_id)?.status, "completed");
  });
});

Deno.test("POST /api/models/run gives a vision model the multimodal type and skips taken names and ports", async () => {
  await withApp(async ({ rt, admin, run }) => {
    const taken = await createProfile(rt, admin, {
      name: "Qwen3-VL-8B-Instruct-4bit",
      model_path: await modelDir(rt.dataDir),
      port: rt.deps.config.defaultPortStart,
    });
    const res = await answer<{ profile_id: number }>(await run(admin, VL), 202);
    const profile = profileOf(rt, res.profile_id);
    assert.equal(profile.name, "Qwen3-VL-8B-Instruct-4bit 2");
    assert.equal(profile.model_type, "multimodal");
    assert.notEqual(profile.port, taken.port);
    assert.notEqual(profile.port, rt.deps.config.port);
  });
});

Deno.test("POST /api/models/run never gives a new profile the manager's own port", async () => {
  const start = 20000 + Math.floor(Math.random() * 20000);
  await withApp(async ({ rt, admin, run }) => {
    const res = await answer<{ profile_id: number }>(await run(admin, QWEN), 202);
    assert.equal(rt.deps.config.port, start);
    assert.notEqual(profileOf(rt, res.profile_id).port, start);
    assert.ok(profileOf(rt, res.profile_id).port > start);
  }, { MLX_MANAGER_PORT: String(start), MLX_MANAGER_DEFAULT_PORT_START: String(start) });
});

Deno.test("POST /api/models/run lets users run models that have a profile, and refuses to create one for them", async () => {
  await withApp(async ({ rt, admin, user, run }) => {
    const refused = await answer<{ detail: string; code: string }>(await run(user, QWEN), 403);
    assert.equal(refused.code, "forbidden");
    assert.match(refused.detail, /only an admin can create profiles/);
    assert.equal(rt.deps.profiles.list().length, 0);
    assert.equal(rt.deps.downloads.list().length, 0, "nothing was downloaded for the refused run");

    const profile = await createProfile(rt, admin, { model_path: QWEN });
    const ok = await answer<{ profile_id: number; download_task_id: string | null; created: boolean }>(
      await run(user, QWEN),
      202,
    );
    assert.equal(ok.profile_id, profile.id);
    assert.equal(ok.created, false);
    assert.ok(ok.download_task_id);
    await waitFor(() => rt.deps.supervisor.status(profile.id).state === "running", "running", 30_000);
  });
});

Deno.test("POST /api/models/run refuses bad ids, unknown and gated repos without creating a profile", async () => {
  await withApp(async ({ rt, admin, run }) => {
    for (const bad of ["", "no-slash", 42, "a/b/c"]) {
      const res = await run(admin, bad);
      assert.ok(res.status === 422 || res.status === 400, `${bad}: ${res.status}`);
      await res.body?.cancel();
    }
    const missing = await run(admin, "mlx-community/Does-Not-Exist");
    assert.equal(missing.status, 404, await missing.clone().text());
    await missing.body?.cancel();
    const gated = await answer<{ detail: string; code: string }>(await run(admin, "org/Gated-Model"), 403);
    assert.equal(gated.code, "gated");
    assert.match(gated.detail, /HF_TOKEN/);
    assert.equal(rt.deps.profiles.list().length, 0);
  });
});

Deno.test("POST /api/models/run refuses a body over 64 KB with 413", async () => {
  await withApp(async ({ rt, admin }) => {
    const res = await rt.app.request(
      "/api/models/run",
      json("POST", { model_id: QWEN, pad: "x".repeat(70 * 1024) }, admin.headers),
    );
    assert.equal(res.status, 413);
    await res.body?.cancel();
    assert.equal(rt.deps.profiles.list().length, 0);
  });
});

Deno.test("POST /api/models/run needs a session", async () => {
  await using rt = await testRuntime();
  const res = await rt.app.request("/api/models/run", json("POST", { model_id: QWEN }));
  assert.equal(res.status, 401);
  await res.body?.cancel();
});

Deno.test("POST /api/models/run downloads a profile's missing draft model with the model, and starts once both are in", async () => {
  await withApp(async ({ rt, hub, admin, run }) => {
    hub.knobs.bytesPerSecond = 400_000;
    const profile = await createProfile(rt, admin, {
      model_path: QWEN,
      draft_model_path: DRAFT,
      max_concurrency: 1,
    });
    const answered = await answer<{ profile_id: number; download_task_id: string | null }>(
      await run(admin, QWEN),
      202,
    );
    assert.equal(answered.profile_id, profile.id);
    const downloads = () => rt.deps.downloads.list().map((d) => d.model_id).sort();
    assert.deepEqual(downloads(), [DRAFT, QWEN], "one step fetches both");
    assert.equal(rt.deps.supervisor.status(profile.id).state, "stopped", "not before both are in");
    await waitFor(() => rt.deps.supervisor.status(profile.id).state === "running", "running", 30_000);
    assert.equal(await rt.deps.models.local.isDownloaded(DRAFT), true);
    const started = rt.deps.supervisor.logLines(profile.id, 200).find((l) => l.includes("Starting: "))!;
    assert.ok(started.includes(`--draft-model-path ${DRAFT}`), started);
  }, { MLX_MANAGER_MLX_SERVER: fakeServerOf("1.8.1") });
});
