import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
import { createUser } from "../../helpers/auth.ts";
import { createProfile, modelDir, serverEnv } from "../../helpers/servers.ts";
import type { ServerVersion } from "../../helpers/versions.ts";

Deno.test("a profile saved under 1.5.1 starts under 1.8.1 and back: no removed flag is passed, nothing set is dropped", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "mlx-manager-versions-" });
  const runtime = (version: ServerVersion) =>
    testRuntime({
      dataDir,
      env: serverEnv({
        MLX_MANAGER_DATABASE_PATH: `${dataDir}/mlx-manager.db`,
        MLX_MANAGER_KV_PATH: `${dataDir}/kv.sqlite`,
      }, version),
    });
  /** Starts the profile, returns its command line and stops it. */
  const run = async (rt: Awaited<ReturnType<typeof runtime>>, id: number) => {
    await rt.deps.supervisor.start(id, { wait: true });
    assert.equal(rt.deps.supervisor.status(id).state, "running");
    const line = rt.deps.supervisor.logLines(id, 500).findLast((l) => l.includes("Starting: "))!;
    await rt.deps.supervisor.stop(id);
    return ` ${line.split("Starting: ")[1]} `;
  };
  try {
    let id: number;
    {
      await using rt = await runtime("1.5.1");
      const user = await createUser(rt, { admin: true });
      const profile = await createProfile(rt, user, {
        model_path: await modelDir(rt.dataDir),
        context_length: 8192,
        top_k: 40,
        seed: 7,
      });
      id = profile.id;
      assert.equal(profile.max_concurrency, 1);
      const args = await run(rt, id);
      assert.match(args, / --max-concurrency 1 /);
      assert.match(args, / --context-length 8192 /);
      assert.doesNotMatch(args, /--top-k|--seed|--served-model-name/, "1.5.1 gets them in each request");
    }
    {
      await using rt = await runtime("1.8.1");
      const args = await run(rt, id);
      assert.doesNotMatch(args, /--max-concurrency|--message-converter/);
      assert.match(args, / --disable-batching /, "one at a time, as under 1.5.1: seeds and context honoured");
      assert.match(args, / --context-length 8192 /);
      assert.match(args, / --top-k 40 /);
      assert.match(args, / --seed 7 /);
      assert.match(args, new RegExp(` --served-model-name profile-${id} `));
      // Batching four at once ignores the context window and seeds: the profile must say so first.
      await assert.rejects(rt.deps.profiles.update(id, { max_concurrency: 4 }), /batches requests/);
      await rt.deps.profiles.update(id, { max_concurrency: 4, context_length: null, seed: null });
      assert.match(await run(rt, id), / --decode-concurrency 4 --prompt-concurrency 4 /);
    }
    {
      await using rt = await runtime("1.5.1");
      const args = await run(rt, id);
      assert.match(args, / --max-concurrency 4 /);
      assert.doesNotMatch(args, /--decode-concurrency|--served-model-name|--top-k/);
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
