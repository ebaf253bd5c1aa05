import assert from "node:assert/strict";
import OpenAI from "openai";
import { listen, testRuntime } from "../../helpers/runtime.ts";
import { createUser, json } from "../../helpers/auth.ts";
import { createProfile, modelDir, serverEnv } from "../../helpers/servers.ts";

const hello = [{ role: "user" as const, content: "hi" }];

async function runtimeOn(dataDir: string) {
  return await testRuntime({
    dataDir,
    env: serverEnv({
      MLX_MANAGER_DATABASE_PATH: `${dataDir}/mlx-manager.db`,
      MLX_MANAGER_KV_PATH: `${dataDir}/kv.sqlite3`,
    }),
  });
}

Deno.test("/v1 limits: a spent budget stays spent after a restart and after the activity rows are pruned", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "mlx-manager-limits-" });
  try {
    let key: string;
    {
      await using rt = await runtimeOn(dataDir);
      const admin = await createUser(rt, { admin: true });
      await createProfile(rt, admin, {
        name: "m",
        model_path: await modelDir(dataDir, { load_delay_ms: 50 }),
      });
      const res = await rt.app.request(
        "/api/keys",
        json("POST", { name: "k", limits: { budget_tokens: 5, budget_period: "month" } }, admin.headers),
      );
      key = (await res.json()).key;
      const server = listen(rt);
      try {
        const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: key, maxRetries: 0 });
        const answer = await client.chat.completions.create({ model: "m", messages: hello });
        assert.ok(answer.usage!.total_tokens >= 5);
      } finally {
        await server.stop();
      }
      // Retention removes every row; the day's roll-up stays.
      assert.ok(rt.deps.activity.prune(Date.now() + 400 * 86_400_000 - 40 * 86_400_000) >= 1);
      assert.equal(rt.deps.activity.list({ id: admin.id, isAdmin: true }, { limit: 10 }).data.length, 0);
    }
    await using rt = await runtimeOn(dataDir);
    const server = listen(rt);
    try {
      const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: key, maxRetries: 0 });
      await assert.rejects(
        client.chat.completions.create({ model: "m", messages: hello }),
        (e: unknown) => e instanceof OpenAI.RateLimitError && e.code === "budget_exceeded",
      );
    } finally {
      await server.stop();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
