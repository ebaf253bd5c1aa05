import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser } from "../../helpers/auth.ts";
import { isAdminPath } from "../../../routes/access.ts";
import { launchdApi } from "../../../routes/api/launchd.ts";
import { usersApi } from "../../../routes/api/users.ts";
import { upstreamsPages } from "../../../routes/pages/upstreams.tsx";

// Routes added to admin routers the way a later change adds one: in the router, and nowhere else.
// (Each test file runs in its own isolate, so no other test sees them.)
launchdApi.get("/added-later", (c) => c.json({ ran: true }));
usersApi.post("/added-later", (c) => c.json({ ran: true }));
upstreamsPages.get("/added-later", (c) => c.json({ ran: true }));

const ADDED: [method: string, path: string, detail: string][] = [
  ["GET", "/api/system/launchd/added-later", "Admin access required"],
  ["POST", "/api/auth/users/added-later", "Admin access required"],
  ["GET", "/upstreams/added-later", "Only admins can manage upstreams"],
];

Deno.test("adminOnly(): a route added under an admin router refuses non-admins with no list touched", async () => {
  await using rt = await testRuntime();
  const { admin, user } = await adminAndUser(rt);
  for (const [method, path, detail] of ADDED) {
    const headers = { ...user.headers, accept: "application/json" };
    const refused = await rt.app.request(path, { method, headers });
    assert.equal(refused.status, 403, `${method} ${path}`);
    assert.equal((await refused.json()).detail, detail, `${method} ${path}`);
    const allowed = await rt.app.request(path, {
      method,
      headers: { ...admin.headers, accept: "application/json" },
    });
    assert.equal(allowed.status, 200, `${method} ${path}`);
    assert.deepEqual(await allowed.json(), { ran: true });
  }
});

Deno.test("isAdminPath() reads the routers: a path under a router-wide adminOnly(), and only there", () => {
  for (const [, path] of ADDED) assert.ok(isAdminPath(path), path);
  for (const path of ["/users", "/users/x", "/api/auth/users", "/api/system/launchd", "/upstreams"]) {
    assert.ok(isAdminPath(path), path);
  }
  // Routers everyone reads, whose changes need an admin per route, are not admin paths.
  for (
    const path of [
      "/usersx",
      "/api/auth/me",
      "/api/profiles",
      "/api/upstreams",
      "/api/mcp/servers",
      "/api/system",
    ]
  ) {
    assert.ok(!isAdminPath(path), path);
  }
});
