import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser, json } from "../../helpers/auth.ts";
import { NO_LIMITS } from "../../../lib/limit_types.ts";

Deno.test("POST /api/keys takes limits, GET lists them, PUT /api/keys/{id} replaces them (owner or admin)", async () => {
  await using rt = await testRuntime();
  const { admin, user } = await adminAndUser(rt);
  const res = await rt.app.request(
    "/api/keys",
    json(
      "POST",
      { name: "k", limits: { rpm: 20, budget_tokens: 5000, budget_period: "week" } },
      user.headers,
    ),
  );
  assert.equal(res.status, 201);
  const created = await res.json();
  const expected = { ...NO_LIMITS, rpm: 20, budget_tokens: 5000, budget_period: "week" };
  assert.deepEqual(created.limits, expected);
  assert.deepEqual(
    (await (await rt.app.request("/api/keys", { headers: user.headers })).json())[0].limits,
    expected,
  );

  const put = await rt.app.request(
    `/api/keys/${created.id}`,
    json("PUT", { limits: { tpm: 900 } }, user.headers),
  );
  assert.equal(put.status, 200);
  assert.deepEqual((await put.json()).limits, { ...NO_LIMITS, tpm: 900 });
  assert.deepEqual(rt.deps.limits.keyLimits(created.id), { ...NO_LIMITS, tpm: 900 });

  const byAdmin = await rt.app.request(
    `/api/keys/${created.id}`,
    json("PUT", { limits: { max_parallel: 2 } }, admin.headers),
  );
  assert.equal(byAdmin.status, 200);
  const missing = await rt.app.request("/api/keys/9999", json("PUT", { limits: {} }, admin.headers));
  assert.equal(missing.status, 404);
});

Deno.test("PUT /api/keys/{id}: someone else's key is not found; bad limits get a 422 naming the field", async () => {
  await using rt = await testRuntime();
  const { admin, user } = await adminAndUser(rt);
  const key = await (await rt.app.request("/api/keys", json("POST", { name: "a" }, admin.headers))).json();
  const foreign = await rt.app.request(
    `/api/keys/${key.id}`,
    json("PUT", { limits: { rpm: 1 } }, user.headers),
  );
  assert.equal(foreign.status, 404);
  for (
    const [limits, field] of [
      [{ rpm: 0 }, "limits.rpm"],
      [{ tpm: 1.5 }, "limits.tpm"],
      [{ max_parallel: "2" }, "limits.max_parallel"],
      [{ budget_tokens: 100 }, "limits.budget_period"],
      [{ budget_period: "year", budget_tokens: 1 }, "limits.budget_period"],
      [{ burst: 3 }, "limits"],
    ] as const
  ) {
    const res = await rt.app.request(`/api/keys/${key.id}`, json("PUT", { limits }, admin.headers));
    assert.equal(res.status, 422, JSON.stringify(limits));
    assert.ok((await res.json()).fields[field], `${JSON.stringify(limits)} names ${field}`);
  }
  const notAnObject = await rt.app.request(`/api/keys/${key.id}`, json("PUT", { limits: 5 }, admin.headers));
  assert.equal(notAnObject.status, 422);
});

Deno.test("PUT /api/auth/users/{id} sets a user's limits (admins only); a user's own key stays within them, an admin sets any", async () => {
  await using rt = await testRuntime();
  const { admin, user } = await adminAndUser(rt);
  const self = await rt.app.request(
    `/api/auth/users/${user.id}`,
    json("PUT", { limits: { rpm: 1 } }, user.headers),
  );
  assert.equal(self.status, 403);
  const set = await rt.app.request(
    `/api/auth/users/${user.id}`,
    json(
      "PUT",
      { limits: { rpm: 10, tpm: 1000, budget_tokens: 50_000, budget_period: "month" } },
      admin.headers,
    ),
  );
  assert.equal(set.status, 200);
  const listed = (await (await rt.app.request("/api/auth/users", { headers: admin.headers })).json())
    .find((u: { id: number }) => u.id === user.id);
  assert.equal(listed.limits.budget_tokens, 50_000);

  const above = await rt.app.request(
    "/api/keys",
    json(
      "POST",
      { name: "k", limits: { rpm: 11, tpm: 1000, budget_tokens: 60_000, budget_period: "day" } },
      user.headers,
    ),
  );
  assert.equal(above.status, 422);
  const body = await above.json();
  assert.deepEqual(Object.keys(body.fields).sort(), ["limits.budget_tokens", "limits.rpm"]);
  const within = await rt.app.request(
    "/api/keys",
    json("POST", { name: "k", limits: { rpm: 10, max_parallel: 3 } }, user.headers),
  );
  assert.equal(within.status, 201);
  const key = await within.json();
  const raise = await rt.app.request(
    `/api/keys/${key.id}`,
    json("PUT", { limits: { tpm: 5000 } }, user.headers),
  );
  assert.equal(raise.status, 422);
  // An admin sets any limit on the user's key.
  const byAdmin = await rt.app.request(
    `/api/keys/${key.id}`,
    json("PUT", { limits: { tpm: 5000 } }, admin.headers),
  );
  assert.equal(byAdmin.status, 200);
  const cleared = await rt.app.request(
    `/api/auth/users/${user.id}`,
    json("PUT", { limits: {} }, admin.headers),
  );
  assert.deepEqual((await cleared.json()).limits, NO_LIMITS);
});
