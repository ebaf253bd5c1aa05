import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import { createUser } from "../../helpers/auth.ts";
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
