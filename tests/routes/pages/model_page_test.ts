import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import { createUser } from "../../helpers/auth.ts";
import { testRuntime } from "../../helpers/runtime.ts";

Deno.test("the model page in offline mode says the hub is not contacted and offers nothing that needs it", async () => {
  await using rt = await testRuntime();
  const user = await createUser(rt, { admin: true });
  const res = await rt.app.request("/models/mlx-community/Qwen3-8B-4bit", { headers: user.headers });
  assert.equal(res.status, 200);
  const { document } = parseHTML(await res.text());
  assert.equal(document.querySelector("[data-testid=model-id]")?.textContent, "mlx-community/Qwen3-8B-4bit");
  assert.match(
    document.querySelector("[data-testid=model-offline]")?.textContent ?? "",
    /Offline mode is on/,
  );
  assert.equal(document.querySelector("[data-testid=model-actions]"), null);
  assert.equal(document.querySelector("[data-testid=model-files]"), null);

  const bad = await rt.app.request("/models/-/..", { headers: user.headers });
  assert.equal(bad.status, 404);
  await bad.body?.cancel();
});
