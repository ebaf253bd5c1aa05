import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import { adminAndUser, createUser, type TestUser } from "../../helpers/auth.ts";
import { createProfile } from "../../helpers/servers.ts";
import { startFakeHub } from "../../fixtures/fake_hub.ts";
import { testRuntime } from "../../helpers/runtime.ts";
import { waitFor } from "../../helpers/net.ts";

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

Deno.test("the model page of a model being downloaded shows the progress, not Downloaded, though its small files are there", async () => {
  const MODEL = "mlx-community/Qwen3-8B-4bit";
  const hub = startFakeHub([{ id: MODEL, weightBytes: 2_000_000 }], { bytesPerSecond: 100_000 });
  const rt = await testRuntime({ env: { MLX_MANAGER_OFFLINE: "false", HF_ENDPOINT: hub.url } });
  try {
    const admin = await createUser(rt, { admin: true });
    const { task_id } = (await rt.deps.downloads.request(MODEL, admin.id)).view;
    await waitFor(() => rt.deps.models.local.isDownloaded(MODEL), "config.json written");
    assert.notEqual(rt.deps.downloads.get(task_id)?.status, "completed");
    const res = await rt.app.request(`/models/${MODEL}`, { headers: admin.headers });
    assert.equal(res.status, 200);
    const { document } = parseHTML(await res.text());
    assert.ok(document.querySelector("[data-testid=model-actions] [data-testid=download-bar]"));
    // Messages, not the elements: printing a linkedom element takes forever.
    assert.ok(
      !document.querySelector("[data-testid=downloaded-badge]"),
      "no Downloaded badge during the download",
    );
    assert.ok(!document.querySelector("[data-testid=new-profile]"), "no New profile during the download");
  } finally {
    // The runtime first: it stops the throttled transfer the hub would wait for.
    await rt.close();
    await hub.close();
  }
});
