import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
import { acceptsTokensSignedWith, adminAndUser, createUser, json } from "../../helpers/auth.ts";

function form(fields: Record<string, string>): RequestInit {
  return {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  };
}

Deno.test("POST /api/auth/register makes the first account an approved admin and later ones pending", async () => {
  const rt = await testRuntime();
  const first = await rt.app.request(
    "/api/auth/register",
    json("POST", { email: " Ada@Example.com ", password: "longenough" }),
  );
  assert.equal(first.status, 201);
  const admin = await first.json();
  assert.equal(admin.email, "Ada@Example.com");
  assert.equal(admin.is_admin, true);
  assert.equal(admin.status, "approved");
  assert.equal(admin.password_hash, undefined);
  assert.equal(admin.hashed_password, undefined);
  const second = await (await rt.app.request(
    "/api/auth/register",
    json("POST", { email: "bob@example.com", password: "longenough" }),
  )).json();
  assert.equal(second.is_admin, false);
  assert.equal(second.status, "pending");
  await rt.close();
});

Deno.test("POST /api/auth/register refuses a duplicate email compared case-insensitively", async () => {
  const rt = await testRuntime();
  await rt.app.request(
    "/api/auth/register",
    json("POST", { email: "ada@example.com", password: "longenough" }),
  );
  const dup = await rt.app.request(
    "/api/auth/register",
    json("POST", { email: "  ADA@example.COM", password: "longenough" }),
  );
  assert.equal(dup.status, 409);
  assert.equal((await dup.json()).detail, "Email already registered");
  await rt.close();
});

Deno.test("POST /api/auth/register enforces the password policy and email shape with field messages", async () => {
  const rt = await testRuntime();
  const res = await rt.app.request(
    "/api/auth/register",
    json("POST", { email: "not-an-email", password: "short" }),
  );
  assert.equal(res.status, 422);
  const body = await res.json();
  assert.equal(body.fields.password, "Password must be at least 8 characters");
  assert.equal(body.fields.email, "Enter a valid email address");
  assert.match(body.detail, /password: Password must be at least 8 characters/);
  const notJson = await rt.app.request("/api/auth/register", { method: "POST", body: "email=x" });
  assert.equal(notJson.status, 415);
  await notJson.body?.cancel();
  await rt.close();
});

Deno.test("two simultaneous first registrations make exactly one admin", async () => {
  const rt = await testRuntime();
  const results = await Promise.all(
    Array.from({ length: 5 }, async (_, i) => {
      const res = await rt.app.request(
        "/api/auth/register",
        json("POST", { email: `u${i}@example.com`, password: "longenough" }),
      );
      return await res.json() as { is_admin: boolean; status: string };
    }),
  );
  assert.equal(results.filter((u) => u.is_admin).length, 1);
  assert.equal(results.filter((u) => u.status === "approved").length, 1);
  await rt.close();
});

Deno.test("POST /api/auth/login accepts the OAuth2 password form and JSON, and sets an HttpOnly cookie", async () => {
  const rt = await testRuntime();
  await rt.deps.accounts.register({ email: "ada@example.com", password: "longenough" });
  const viaForm = await rt.app.request(
    "/api/auth/login",
    form({ username: "ADA@example.com", password: "longenough", grant_type: "password" }),
  );
  assert.equal(viaForm.status, 200);
  const body = await viaForm.json();
  assert.equal(body.token_type, "bearer");
  assert.match(body.access_token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  const cookie = viaForm.headers.get("set-cookie")!;
  assert.match(cookie, /^mlx_session=/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.doesNotMatch(cookie, /Secure/);
  const viaJson = await rt.app.request(
    "/api/auth/login",
    json("POST", { email: "ada@example.com", password: "longenough" }),
  );
  assert.equal(viaJson.status, 200);
  await viaJson.body?.cancel();
  const https = await rt.app.request(
    "https://localhost/api/auth/login",
    json("POST", { email: "ada@example.com", password: "longenough" }),
  );
  assert.match(https.headers.get("set-cookie")!, /Secure/);
  await https.body?.cancel();
  await rt.close();
});

Deno.test("POST /api/auth/login explains wrong passwords, pending and disabled accounts", async () => {
  const rt = await testRuntime();
  const { admin } = await adminAndUser(rt);
  await rt.deps.accounts.register({ email: "wait@example.com", password: "longenough" });
  const wrong = await rt.app.request(
    "/api/auth/login",
    json("POST", { email: admin.email, password: "wrong-password" }),
  );
  assert.equal(wrong.status, 401);
  assert.deepEqual(await wrong.json(), {
    detail: "Incorrect email or password",
    code: "invalid_credentials",
  });
  const unknown = await rt.app.request(
    "/api/auth/login",
    json("POST", { email: "nobody@example.com", password: "whatever1" }),
  );
  assert.equal(unknown.status, 401);
  await unknown.body?.cancel();
  const pending = await rt.app.request(
    "/api/auth/login",
    json("POST", { email: "wait@example.com", password: "longenough" }),
  );
  assert.equal(pending.status, 403);
  assert.equal((await pending.json()).detail, "Account pending approval");
  const wrongPending = await rt.app.request(
    "/api/auth/login",
    json("POST", { email: "wait@example.com", password: "nope-nope" }),
  );
  assert.equal(wrongPending.status, 401, "a wrong password never reveals the account's state");
  await wrongPending.body?.cancel();
  const user = await createUser(rt);
  rt.deps.accounts.update(admin.id, user.id, { status: "disabled" });
  const disabled = await rt.app.request(
    "/api/auth/login",
    json("POST", { email: user.email, password: user.password }),
  );
  assert.equal(disabled.status, 403);
  assert.equal((await disabled.json()).detail, "Account disabled");
  await rt.close();
});

Deno.test("POST /api/auth/login answers 429 with Retry-After after 10 failures a minute for one account", async () => {
  const rt = await testRuntime();
  await rt.deps.accounts.register({ email: "ada@example.com", password: "longenough" });
  for (let i = 0; i < 10; i++) {
    const res = await rt.app.request(
      "/api/auth/login",
      json("POST", { email: "ada@example.com", password: `bad-${i}-xx` }),
    );
    assert.equal(res.status, 401);
    await res.body?.cancel();
  }
  const limited = await rt.app.request(
    "/api/auth/login",
    json("POST", { email: "ada@example.com", password: "longenough" }),
  );
  assert.equal(limited.status, 429);
  const wait = Number(limited.headers.get("retry-after"));
  assert.ok(wait >= 1 && wait <= 60, `Retry-After ${wait}`);
  assert.match((await limited.json()).detail, /Too many failed sign-ins: try again in \d+ seconds/);
  await rt.close();
});

Deno.test("login throttling also applies per client address across accounts", async () => {
  const { FailureLimiter } = await import("../../../services/accounts/rate_limit.ts");
  let clock = 0;
  const limiter = new FailureLimiter({ limit: 10, windowMs: 60_000, now: () => clock });
  for (let i = 0; i < 10; i++) limiter.fail("ip:10.0.0.1");
  assert.ok(limiter.retryAfter("ip:10.0.0.1") > 0);
  assert.equal(limiter.retryAfter("ip:10.0.0.2"), 0);
  clock = 60_001;
  assert.equal(limiter.retryAfter("ip:10.0.0.1"), 0, "the window slides");
});

Deno.test("GET /api/auth/me answers the caller; tokens are revoked by logout, disable, password change and reset", async () => {
  const rt = await testRuntime();
  const { admin, user } = await adminAndUser(rt);
  const me = await rt.app.request("/api/auth/me", { headers: user.headers });
  assert.equal(me.status, 200);
  assert.equal((await me.json()).email, user.email);

  const check = async (token: string) => {
    const res = await rt.app.request("/api/auth/me", { headers: { authorization: `Bearer ${token}` } });
    await res.body?.cancel();
    return res.status;
  };
  const login = async () =>
    (await rt.deps.accounts.login({ email: user.email, password: user.password, client: "t" })).token;

  const logout = await rt.app.request("/api/auth/logout", { method: "POST", headers: user.headers });
  assert.equal(logout.status, 204);
  assert.equal(await check(user.token), 401, "logout");

  let token = await login();
  const change = await rt.app.request(
    "/api/auth/password",
    json("POST", { current_password: user.password, new_password: "a brand new one" }, {
      authorization: `Bearer ${token}`,
    }),
  );
  assert.equal(change.status, 200);
  const fresh = (await change.json()).access_token;
  assert.equal(await check(token), 401, "password change revokes old tokens");
  assert.equal(await check(fresh), 200, "password change returns a working token");
  user.password = "a brand new one";

  token = await login();
  const reset = await rt.app.request(
    `/api/auth/users/${user.id}/reset-password`,
    json("POST", { password: "reset by admin" }, admin.headers),
  );
  assert.deepEqual(await reset.json(), { message: "Password reset successfully" });
  assert.equal(await check(token), 401, "reset");
  user.password = "reset by admin";

  token = await login();
  await rt.app.request(`/api/auth/users/${user.id}`, json("PUT", { status: "disabled" }, admin.headers));
  assert.equal(await check(token), 401, "disable");
  await rt.app.request(`/api/auth/users/${user.id}`, json("PUT", { status: "approved" }, admin.headers));
  token = await login();
  assert.equal(await check(token), 200);
  await rt.app.request(`/api/auth/users/${user.id}`, { method: "DELETE", headers: admin.headers });
  assert.equal(await check(token), 401, "delete");
  await rt.close();
});

Deno.test("POST /api/auth/password needs the current password", async () => {
  const rt = await testRuntime();
  const { user } = await adminAndUser(rt);
  const res = await rt.app.request(
    "/api/auth/password",
    json("POST", { current_password: "not mine!", new_password: "whatever long" }, user.headers),
  );
  assert.equal(res.status, 400);
  assert.equal((await res.json()).fields.current_password, "Current password is incorrect");
  await rt.close();
});

Deno.test("user administration approves, stamps the approver and counts pending users", async () => {
  const rt = await testRuntime();
  const { admin } = await adminAndUser(rt);
  const pending = await rt.deps.accounts.register({ email: "new@example.com", password: "longenough" });
  const count = await rt.app.request("/api/auth/users/pending/count", { headers: admin.headers });
  assert.deepEqual(await count.json(), { count: 1 });
  const approved = await rt.app.request(
    `/api/auth/users/${pending.id}`,
    json("PUT", { status: "approved" }, admin.headers),
  );
  const body = await approved.json();
  assert.equal(body.status, "approved");
  assert.equal(body.approved_by, admin.id);
  assert.ok(body.approved_at);
  const list = await (await rt.app.request("/api/auth/users", { headers: admin.headers })).json();
  assert.deepEqual(list.map((u: { email: string }) => u.email)[0], "new@example.com", "newest first");
  const bad = await rt.app.request(
    `/api/auth/users/${pending.id}`,
    json("PUT", { status: "banned", role: "x" }, admin.headers),
  );
  assert.equal(bad.status, 422);
  assert.match(
    (await bad.json()).detail,
    /status must be one of pending, approved, disabled|Unknown field: role/,
  );
  const missing = await rt.app.request(
    "/api/auth/users/999",
    json("PUT", { status: "approved" }, admin.headers),
  );
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).detail, "User not found");
  await rt.close();
});

Deno.test("the last active admin cannot be demoted, disabled or deleted, by themselves or another admin", async () => {
  const rt = await testRuntime();
  const { admin, user } = await adminAndUser(rt);
  const second = await createUser(rt, { admin: true });
  // A disabled admin does not count as active.
  await rt.app.request(`/api/auth/users/${second.id}`, json("PUT", { status: "disabled" }, admin.headers));
  for (const body of [{ is_admin: false }, { status: "disabled" }, { status: "pending" }]) {
    const res = await rt.app.request(`/api/auth/users/${admin.id}`, json("PUT", body, admin.headers));
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.match((await res.json()).detail, /Cannot (demote|disable) the last active admin/);
  }
  const del = await rt.app.request(`/api/auth/users/${admin.id}`, {
    method: "DELETE",
    headers: admin.headers,
  });
  assert.equal(del.status, 400);
  assert.match((await del.json()).detail, /Cannot delete the last active admin/);

  // With a second active admin, that admin cannot remove the first once it would be the last.
  await rt.app.request(`/api/auth/users/${second.id}`, json("PUT", { status: "approved" }, admin.headers));
  const secondToken =
    (await rt.deps.accounts.login({ email: second.email, password: second.password, client: "t" })).token;
  const demoteFirst = await rt.app.request(
    `/api/auth/users/${admin.id}`,
    json("PUT", { is_admin: false }, { authorization: `Bearer ${secondToken}` }),
  );
  assert.equal(demoteFirst.status, 200);
  const demoteSelf = await rt.app.request(
    `/api/auth/users/${second.id}`,
    json("PUT", { is_admin: false }, { authorization: `Bearer ${secondToken}` }),
  );
  assert.equal(demoteSelf.status, 400);
  await demoteSelf.body?.cancel();
  assert.ok(user.id);
  await rt.close();
});

Deno.test("state-changing requests with a cookie session must come from the same origin", async () => {
  const rt = await testRuntime();
  const { admin } = await adminAndUser(rt);
  const cookie = `mlx_session=${admin.token}`;
  const target = rt.deps.accounts.list().find((u) => !u.is_admin)!;
  const cross = await rt.app.request(`http://localhost/api/auth/users/${target.id}`, {
    method: "PUT",
    headers: { cookie, "content-type": "application/json", origin: "http://evil.example" },
    body: JSON.stringify({ status: "disabled" }),
  });
  assert.equal(cross.status, 403);
  assert.match((await cross.json()).detail, /Cross-site request refused/);
  const noOrigin = await rt.app.request(`http://localhost/api/auth/users/${target.id}`, {
    method: "PUT",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ status: "disabled" }),
  });
  assert.equal(noOrigin.status, 403);
  await noOrigin.body?.cancel();
  const site = await rt.app.request(`http://localhost/api/auth/users/${target.id}`, {
    method: "PUT",
    headers: { cookie, "content-type": "application/json", "sec-fetch-site": "cross-site" },
    body: JSON.stringify({ status: "disabled" }),
  });
  assert.equal(site.status, 403);
  await site.body?.cancel();
  const same = await rt.app.request(`http://localhost/api/auth/users/${target.id}`, {
    method: "PUT",
    headers: {
      cookie,
      "content-type": "application/json",
      origin: "http://localhost",
      "sec-fetch-site": "same-origin",
    },
    body: JSON.stringify({ status: "disabled" }),
  });
  assert.equal(same.status, 200);
  await same.body?.cancel();
  assert.equal(rt.deps.accounts.get(target.id).status, "disabled");
  // A GET with a cookie works from anywhere (it changes nothing).
  const me = await rt.app.request("http://localhost/api/auth/me", { headers: { cookie } });
  assert.equal(me.status, 200);
  await me.body?.cancel();
  await rt.close();
});

Deno.test("no password, hash or token appears in the logs or in any response", async () => {
  const logs: string[] = [];
  const rt = await testRuntime({ logs });
  const password = "very-secret-password";
  await rt.app.request("/api/auth/register", json("POST", { email: "ada@example.com", password }));
  const login = await rt.app.request(
    "/api/auth/login?password=leak-check",
    json("POST", { email: "ada@example.com", password }),
  );
  const token = (await login.json()).access_token;
  const hash = rt.db.prepare("SELECT password_hash FROM users").get()!.password_hash as string;
  await rt.app.request(
    "/api/auth/login",
    json("POST", { email: "ada@example.com", password: "wrong-one-x" }),
  );
  const responses = [
    await (await rt.app.request("/api/auth/me", { headers: { authorization: `Bearer ${token}` } })).text(),
    await (await rt.app.request("/api/auth/users", { headers: { authorization: `Bearer ${token}` } })).text(),
  ];
  const everything = logs.join("\n") + responses.join("\n");
  assert.ok(logs.length > 0);
  for (const secret of [password, "wrong-one-x", "leak-check", token, hash, hash.split("$").pop()!]) {
    assert.ok(!everything.includes(secret), `leaked: ${secret.slice(0, 12)}…`);
  }
  await rt.close();
});

Deno.test("the signing secret is created once per install with mode 0600", async () => {
  const rt = await testRuntime();
  const info = await Deno.stat(`${rt.dataDir}/jwt-secret`);
  assert.equal(info.mode! & 0o777, 0o600);
  const secret = await Deno.readTextFile(`${rt.dataDir}/jwt-secret`);
  assert.ok(secret.length >= 64);
  const user = await createUser(rt, { admin: true });
  assert.ok(await acceptsTokensSignedWith(rt, user, secret), "it signs with the file's secret");
  assert.ok(!await acceptsTokensSignedWith(rt, user, "z".repeat(64)), "and with no other");
  await rt.close();
});
