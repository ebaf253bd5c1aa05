import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser, json } from "../../helpers/auth.ts";
import { createProfile, modelDir } from "../../helpers/servers.ts";
import { PEPPER_FILE } from "../../../services/keys/pepper.ts";

Deno.test("POST /api/keys answers the key once; GET lists keys without it; DELETE revokes (owner or admin)", async () => {
  await using rt = await testRuntime();
  const { admin, user } = await adminAndUser(rt);
  await createProfile(rt, admin, { name: "coder", model_path: await modelDir(rt.dataDir) });
  const expires = new Date(Date.now() + 86_400_000).toISOString();
  const res = await rt.app.request(
    "/api/keys",
    json("POST", { name: "Cursor", expires_at: expires, models: ["coder"] }, user.headers),
  );
  assert.equal(res.status, 201);
  assert.equal(res.headers.get("cache-control"), "no-store");
  const created = await res.json();
  assert.deepEqual(Object.keys(created).sort(), [
    "created_at",
    "expires_at",
    "id",
    "key",
    "last_used_at",
    "limits",
    "models",
    "name",
    "prefix",
  ]);
  assert.match(created.key, /^mlxm_[0-9A-Za-z]{8}_[0-9A-Za-z]{32}$/);
  assert.ok(created.key.startsWith(created.prefix));
  assert.deepEqual(created.models, ["coder"]);
  assert.equal(created.expires_at, expires);

  const secret = created.key.split("_")[2];
  const stored = JSON.stringify(rt.db.prepare("SELECT * FROM api_keys").all());
  assert.ok(!stored.includes(secret), "only a keyed hash of the secret is stored");
  const pepper = await Deno.stat(`${rt.dataDir}/${PEPPER_FILE}`);
  assert.equal(pepper.mode! & 0o777, 0o600);

  const listed = await (await rt.app.request("/api/keys", { headers: user.headers })).json();
  assert.equal(listed.length, 1);
  assert.equal(listed[0].key, undefined);
  assert.ok(!JSON.stringify(listed).includes(secret));
  assert.deepEqual(await (await rt.app.request("/api/keys", { headers: admin.headers })).json(), []);
  const all = await (await rt.app.request("/api/keys?all=1", { headers: admin.headers })).json();
  assert.deepEqual(all.map((k: { owner: { id: number } }) => k.owner.id), [user.id]);
  assert.equal((await rt.app.request("/api/keys?all=1", { headers: user.headers })).status, 403);

  const mine = await (await rt.app.request("/api/keys", json("POST", { name: "Mine" }, admin.headers)))
    .json();
  assert.equal(
    (await rt.app.request(`/api/keys/${mine.id}`, { method: "DELETE", headers: user.headers })).status,
    404,
    "a user cannot revoke another's key",
  );
  assert.equal(
    (await rt.app.request(`/api/keys/${created.id}`, { method: "DELETE", headers: admin.headers })).status,
    204,
  );
  assert.equal(
    (await rt.app.request(`/api/keys/${created.id}`, { method: "DELETE", headers: user.headers })).status,
    404,
  );
  assert.deepEqual(await (await rt.app.request("/api/keys", { headers: user.headers })).json(), []);
});

Deno.test("POST /api/keys refuses bad input with 4xx: no name, past expiry, unknown model, not JSON", async () => {
  await using rt = await testRuntime();
  const { user } = await adminAndUser(rt);
  const cases: [unknown, number, string][] = [
    [{}, 422, "name"],
    [{ name: "x", expires_at: "2001-01-01T00:00:00Z" }, 422, "expires_at"],
    [{ name: "x", expires_at: "tomorrow" }, 422, "expires_at"],
    [{ name: "x", models: ["nobody"] }, 422, "models"],
    [{ name: "x", models: "all" }, 422, "models"],
  ];
  for (const [body, status, field] of cases) {
    const res = await rt.app.request("/api/keys", json("POST", body, user.headers));
    assert.equal(res.status, status, JSON.stringify(body));
    assert.ok((await res.json()).fields?.[field], `${JSON.stringify(body)} names ${field}`);
  }
  const res = await rt.app.request("/api/keys", {
    method: "POST",
    headers: { ...user.headers, "content-type": "application/json" },
    body: "{",
  });
  assert.equal(res.status, 400);
  assert.equal((await rt.app.request("/api/keys", json("POST", { name: "x" }))).status, 401);
});
