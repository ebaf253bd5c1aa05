import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";

Deno.test("serveAssets(): built assets are served with long caching when versioned, and precompressed", async () => {
  const rt = await testRuntime();
  const url = rt.deps.manifest.assets.client;
  const res = await rt.app.request(url, {
    headers: { "accept-encoding": "gzip" },
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /javascript/);
  assert.equal(res.headers.get("content-encoding"), "gzip");
  assert.match(res.headers.get("cache-control")!, /immutable/);
  await res.body?.cancel();
  const css = await rt.app.request(rt.deps.manifest.css);
  assert.match(css.headers.get("content-type")!, /text\/css/);
  await css.body?.cancel();
  for (const path of ["/_build/../deno.json", "/_build/%2e%2e/deno.json", "/static/..%2fdeno.json"]) {
    const traversal = await rt.app.request(path);
    assert.notEqual(traversal.status, 200, path);
    assert.doesNotMatch(await traversal.text(), /"tasks"/, path);
  }
  await rt.close();
});
