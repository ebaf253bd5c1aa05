import assert from "node:assert/strict";
import { testRuntime } from "../helpers/runtime.ts";
import { adminAndUser } from "../helpers/auth.ts";
import { isAdminPath, isPublicPath, PUBLIC_PATHS, PUBLIC_PREFIXES } from "../../routes/access.ts";
import { TokenSigner } from "../../services/accounts/tokens.ts";

/** Every concrete route of the app, with path parameters filled in. */
async function routes() {
  const rt = await testRuntime();
  const seen = new Set<string>();
  const out: { method: string; path: string }[] = [];
  for (const r of rt.app.routes) {
    if (r.method === "ALL" && r.path.endsWith("*")) continue; // middleware
    const path = r.path.replace(/:(\w+)(\{[^}]*\})?/g, "1").replace(/\*$/, "x").replace(/\/+$/, "") || "/";
    const key = `${r.method} ${path}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ method: r.method === "ALL" ? "GET" : r.method, path });
    }
  }
  await rt.close();
  return out;
}

Deno.test("the public paths are exactly the few that must be", () => {
  assert.deepEqual([...PUBLIC_PATHS].sort(), [
    "/api/auth/login",
    "/api/auth/register",
    "/favicon.ico",
    "/health",
    "/login",
    "/register",
  ]);
  assert.deepEqual([...PUBLIC_PREFIXES], ["/_build/", "/static/", "/_dev/"]);
});

Deno.test("every route except the public few answers 401 or redirects to login without a valid session", async () => {
  const rt = await testRuntime();
  const secret = await Deno.readTextFile(`${rt.dataDir}/jwt-secret`);
  const { user } = await adminAndUser(rt);
  const [h, p, s] = user.token.split(".");
  const tampered = `${h}.${
    btoa(JSON.stringify({ sub: "1", ver: 0, iat: 1, exp: 9999999999 })).replace(/=/g, "")
  }.${s}`;
  const none = `${btoa(JSON.stringify({ alg: "none", typ: "JWT" })).replace(/=/g, "")}.${p}.`;
  const expired = await new TokenSigner(secret, -60).issue(user.id, 0);
  const wrongSecret = await new TokenSigner("z".repeat(64), 3600).issue(user.id, 0);
  const credentials: [string, Record<string, string>][] = [
    ["none", {}],
    ["tampered", { authorization: `Bearer ${tampered}` }],
    ["alg:none", { authorization: `Bearer ${none}` }],
    ["expired", { authorization: `Bearer ${expired}` }],
    ["wrong secret", { authorization: `Bearer ${wrongSecret}` }],
    ["garbage cookie", { cookie: "mlx_session=not.a.token" }],
  ];
  const all = await routes();
  const protectedRoutes = all.filter((r) => !isPublicPath(r.path));
  assert.ok(protectedRoutes.length >= 10, `found only ${protectedRoutes.length} protected routes`);
  for (const route of protectedRoutes) {
    for (const [label, headers] of credentials) {
      const res = await rt.app.request(route.path, { method: route.method, headers });
      const what = `${route.method} ${route.path} with ${label} credentials`;
      if (route.path.startsWith("/v1/messages")) {
        // The Anthropic bridge refuses in Anthropic's shape.
        assert.equal(res.status, 401, what);
        assert.equal((await res.json()).error.type, "authentication_error", what);
        continue;
      }
      if (route.path.startsWith("/v1/")) {
        // The OpenAI endpoint refuses in OpenAI's shape, with its own realm.
        assert.equal(res.status, 401, what);
        assert.equal((await res.json()).error.code, "invalid_api_key", what);
        continue;
      }
      if (route.path === "/metrics") {
        // A scraper's endpoint: a Bearer challenge, never a sign-in page.
        assert.equal(res.status, 401, what);
        assert.match(res.headers.get("www-authenticate")!, /^Bearer realm=/, what);
      } else if (route.path.startsWith("/api/")) {
        assert.equal(res.status, 401, what);
        assert.equal(res.headers.get("www-authenticate"), "Bearer", what);
      } else {
        assert.equal(res.status, 302, what);
        assert.match(res.headers.get("location")!, /^\/login\?next=/, what);
      }
      await res.body?.cancel();
    }
  }
  await rt.close();
});

Deno.test("every admin route answers 403 to an approved non-admin", async () => {
  const rt = await testRuntime();
  const { user } = await adminAndUser(rt);
  const adminRoutes = (await routes()).filter((r) => isAdminPath(r.path));
  assert.ok(adminRoutes.length >= 6, `found only ${adminRoutes.length} admin routes`);
  for (const route of adminRoutes) {
    const res = await rt.app.request(route.path, { method: route.method, headers: user.headers });
    assert.equal(res.status, 403, `${route.method} ${route.path}`);
    await res.body?.cancel();
  }
  await rt.close();
});

Deno.test("a page asked for without a session redirects to login with the page as next", async () => {
  const rt = await testRuntime();
  const res = await rt.app.request("/servers?tab=running");
  assert.equal(res.status, 302);
  assert.equal(res.headers.get("location"), "/login?next=%2Fservers%3Ftab%3Drunning");
  await rt.close();
});
