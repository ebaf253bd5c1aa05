import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import { adminAndUser, createUser, type TestUser } from "../../helpers/auth.ts";
import { createProfile } from "../../helpers/servers.ts";
import { startFakeHub } from "../../fixtures/fake_hub.ts";
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

Deno.test("the model page offers users Run only for a model a profile serves, and admins always", async () => {
  const hub = startFakeHub([{ id: "mlx-community/Qwen3-8B-4bit" }]);
  await using rt = await testRuntime({ env: { MLX_MANAGER_OFFLINE: "false", HF_ENDPOINT: hub.url } });
  try {
    const { admin, user } = await adminAndUser(rt);
    const page = async (who: TestUser) => {
      const res = await rt.app.request("/models/mlx-community/Qwen3-8B-4bit", { headers: who.headers });
      assert.equal(res.status, 200);
      return parseHTML(await res.text()).document;
    };
    const before = await page(user);
    assert.equal(before.querySelector("[data-testid=run-button]"), null);
    assert.match(
      before.querySelector("[data-testid=run-needs-profile]")?.textContent ?? "",
      /An admin creates/,
    );
    assert.ok((await page(admin)).querySelector("[data-testid=run-button]"));

    await createProfile(rt, admin, { model_path: "mlx-community/Qwen3-8B-4bit" });
    const after = await page(user);
    assert.ok(after.querySelector("[data-testid=run-button]"));
    assert.equal(after.querySelector("[data-testid=run-needs-profile]"), null);
  } finally {
    await hub.close();
  }
});
