import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import { adminAndUser, createUser, type TestUser } from "../../helpers/auth.ts";
import { createProfile } from "../../helpers/servers.ts";
import { testRuntime } from "../../helpers/runtime.ts";

Deno.test("GET /models renders the Models page with its island, local models and storage", async () => {
  const rt = await testRuntime();
  try {
    const user = await createUser(rt, { admin: true });
    const res = await rt.app.request("/models", { headers: user.headers });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /text\/html/);
    const { document } = parseHTML(await res.text());
    assert.equal(document.querySelector("h1")?.textContent, "Models");
    const island = document.querySelector("x-island[data-island=ModelBrowser]");
    assert.ok(island, "the ModelBrowser island is on the page");
    assert.ok(document.querySelector("[data-testid=storage]"));
    // Offline (the test default), the page says so instead of searching.
    assert.match(document.body.textContent!, /Offline mode is on/);
    assert.equal(document.querySelector("[aria-current=page]")?.getAttribute("href"), "/models");
  } finally {
    await rt.close();
  }
});

Deno.test("GET /models without a session goes to the login page", async () => {
  const rt = await testRuntime();
  try {
    const res = await rt.app.request("/models");
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("location"), "/login?next=%2Fmodels");
  } finally {
    await rt.close();
  }
});

Deno.test("GET /models offers users Run on a local model only once a profile serves it", async () => {
  await using rt = await testRuntime();
  const { admin, user } = await adminAndUser(rt);
  const id = "mlx-community/Qwen3-8B-4bit";
  const commit = "a".repeat(40);
  const repo = `${rt.deps.config.hfHubCache}/models--mlx-community--Qwen3-8B-4bit`;
  await Deno.mkdir(`${repo}/snapshots/${commit}`, { recursive: true });
  await Deno.mkdir(`${repo}/refs`, { recursive: true });
  await Deno.writeTextFile(`${repo}/refs/main`, commit);
  await Deno.writeTextFile(
    `${repo}/snapshots/${commit}/config.json`,
    JSON.stringify({ model_type: "qwen3" }),
  );
  await Deno.writeFile(`${repo}/snapshots/${commit}/model.safetensors`, new Uint8Array(1024));
  const card = async (who: TestUser) => {
    const res = await rt.app.request("/models", { headers: who.headers });
    const { document } = parseHTML(await res.text());
    const local = document.querySelector(`[data-testid=local-model][data-model='${id}']`);
    assert.ok(local, "the local model is listed");
    return local;
  };
  assert.equal((await card(user)).querySelector("[data-testid=run-button]"), null);
  assert.ok((await card(admin)).querySelector("[data-testid=run-button]"));
  await createProfile(rt, admin, { model_path: id });
  assert.ok((await card(user)).querySelector("[data-testid=run-button]"));
  assert.equal((await card(user)).querySelector("[data-testid=create-profile]"), null);
});
