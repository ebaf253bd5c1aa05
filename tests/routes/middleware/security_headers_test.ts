import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";

Deno.test("securityHeaders(): every answer carries a strict Content-Security-Policy", async () => {
  const rt = await testRuntime();
  const res = await rt.app.request("/health");
  const csp = res.headers.get("content-security-policy")!;
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  await res.body?.cancel();
  await rt.close();
});
