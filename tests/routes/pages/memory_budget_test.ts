import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import { createUser } from "../../helpers/auth.ts";
import { testRuntime } from "../../helpers/runtime.ts";
import { formatBytes } from "../../../lib/format.ts";

Deno.test("the Models and System pages speak of one memory budget, from MLX_MANAGER_MAX_MEMORY_PERCENT", async () => {
  const total = 32 * 1024 ** 3;
  await using rt = await testRuntime({
    env: { MLX_MANAGER_MAX_MEMORY_PERCENT: "60" },
    runtime: { totalMemory: () => total },
  });
  const user = await createUser(rt, { admin: true });
  const repo = `${rt.deps.config.hfHubCache}/models--org--tiny`;
  await Deno.mkdir(`${repo}/snapshots/c1`, { recursive: true });
  await Deno.mkdir(`${repo}/refs`, { recursive: true });
  await Deno.writeTextFile(`${repo}/snapshots/c1/config.json`, JSON.stringify({ model_type: "qwen3" }));
  await Deno.writeTextFile(`${repo}/refs/main`, "c1");
  const page = async (path: string) => {
    const res = await rt.app.request(path, { headers: user.headers });
    assert.equal(res.status, 200);
    return parseHTML(await res.text()).document;
  };
  const models = await page("/models");
  assert.equal(
    models.querySelector("[data-testid=memory-budget]")?.textContent?.replace(/\s+/g, " ").trim(),
    `Models should stay under ${formatBytes(total * 0.6)} (60 %)`,
  );
  const system = await page("/system");
  const shown = system.querySelector("[data-testid=memory-budget]")?.textContent?.trim();
  const systemMemory = (await rt.deps.system.metrics()).memory.total;
  assert.equal(shown, formatBytes(systemMemory * 0.6));

  // The fit verdicts judge against the same share.
  const local = await rt.deps.models.local.list();
  assert.deepEqual(local.map((m) => [m.model_id, m.fit?.budget_bytes]), [[
    "org/tiny",
    Math.round(total * 0.6),
  ]]);
});
