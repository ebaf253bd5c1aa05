import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser, json } from "../../helpers/auth.ts";
import { freePort } from "../../helpers/net.ts";

const SECRET = "mlxm_peer-secret-that-must-never-leak";

function body(overrides: Record<string, unknown> = {}) {
  // A free port: nothing answers there, so the background probe finds it offline at once.
  return {
    name: "studio",
    kind: "mlx-manager",
    base_url: `http://127.0.0.1:${freePort()}/v1`,
    api_key: SECRET,
    ...overrides,
  };
}

Deno.test("POST /api/upstreams stores the key sealed and never answers or logs it", async () => {
  const logs: string[] = [];
  await using rt = await testRuntime({ logs });
  const { admin } = await adminAndUser(rt);
  const res = await rt.app.request(
    "/api/upstreams",
    json("POST", body({ base_url: "http://127.0.0.1:1/v1/" }), admin.headers),
  );
  assert.equal(res.status, 201);
  const created = await res.json();
  assert.equal(created.name, "studio");
  assert.equal(created.kind, "mlx-manager");
  assert.equal(created.base_url, "http://127.0.0.1:1/v1", "one trailing slash is dropped");
  assert.equal(created.has_api_key, true);
  assert.equal(created.models, "discover");
  assert.equal(created.enabled, true);
  assert.equal("api_key" in created, false);

  const stored = rt.db.prepare("SELECT api_key FROM upstreams WHERE id = ?").get(created.id) as {
    api_key: string;
  };
  assert.match(stored.api_key, /^v1:/);
  assert.equal(stored.api_key.includes(SECRET), false);
  assert.equal(await rt.deps.upstreams.apiKey(created.id), SECRET, "the gateway gets the key in clear");

  const listed = await (await rt.app.request("/api/upstreams", { headers: admin.headers })).text();
  const one = await (await rt.app.request(`/api/upstreams/${created.id}`, { headers: admin.headers })).text();
  for (const text of [listed, one, logs.join("\n")]) assert.equal(text.includes(SECRET), false);
  assert.ok(logs.some((l) => l.includes("Upstream registered")), "the registration itself is logged");
});

Deno.test("PUT /api/upstreams/{id} keeps the stored key when api_key is absent and removes it on null", async () => {
  await using rt = await testRuntime();
  const { admin } = await adminAndUser(rt);
  const created = await (await rt.app.request("/api/upstreams", json("POST", body(), admin.headers))).json();
  const put = (b: Record<string, unknown>) =>
    rt.app.request(`/api/upstreams/${created.id}`, json("PUT", b, admin.headers));

  const { api_key: _, ...withoutKey } = body({
    name: "mac-studio",
    models: ["qwen", "llama"],
    enabled: false,
  });
  const kept = await put(withoutKey);
  assert.equal(kept.status, 200);
  const keptView = await kept.json();
  assert.equal(keptView.name, "mac-studio");
  assert.deepEqual(keptView.models, ["qwen", "llama"]);
  assert.equal(keptView.enabled, false);
  assert.equal(keptView.has_api_key, true);
  assert.equal(await rt.deps.upstreams.apiKey(created.id), SECRET);

  const cleared = await (await put({ ...withoutKey, api_key: null })).json();
  assert.equal(cleared.has_api_key, false);
  assert.equal(await rt.deps.upstreams.apiKey(created.id), null);

  assert.equal(
    (await rt.app.request(`/api/upstreams/${created.id}`, { method: "DELETE", headers: admin.headers }))
      .status,
    204,
  );
  assert.equal(
    (await rt.app.request(`/api/upstreams/${created.id}`, { headers: admin.headers })).status,
    404,
  );
  assert.equal((await put(withoutKey)).status, 404);
  assert.equal((await rt.app.request("/api/upstreams/abc", { headers: admin.headers })).status, 404);
});

Deno.test("POST /api/upstreams answers 422 to a base URL that is not an http(s) OpenAI base URL", async () => {
  await using rt = await testRuntime();
  const { admin } = await adminAndUser(rt);
  const cases: [string, RegExp][] = [
    ["http://studio.local:8080", /ending in \/v1/],
    ["http://studio.local:8080/v1/chat/completions", /ending in \/v1/],
    ["ftp://studio.local/v1", /http:\/\/ or https:\/\//],
    ["not a url", /must be a URL/],
    ["http://ada:pw@studio.local/v1", /cannot hold a user or password/],
    ["http://studio.local/v1?x=1", /query/],
  ];
  for (const [base_url, message] of cases) {
    const res = await rt.app.request("/api/upstreams", json("POST", body({ base_url }), admin.headers));
    assert.equal(res.status, 422, base_url);
    const error = await res.json();
    assert.match(error.fields.base_url, message, base_url);
  }
  const bad = [
    { kind: "ollama" },
    { name: "has/slash" },
    { name: "" },
    { models: [] },
    { models: "all" },
    { enabled: "yes" },
    { api_key: "two words" },
  ];
  for (const overrides of bad) {
    const res = await rt.app.request("/api/upstreams", json("POST", body(overrides), admin.headers));
    assert.equal(res.status, 422, JSON.stringify(overrides));
  }
  const list = await (await rt.app.request("/api/upstreams", { headers: admin.headers })).json();
  assert.deepEqual(list, [], "nothing was stored");
});

Deno.test("POST /api/upstreams answers 409 to a name already taken, whatever its case", async () => {
  await using rt = await testRuntime();
  const { admin } = await adminAndUser(rt);
  assert.equal((await rt.app.request("/api/upstreams", json("POST", body(), admin.headers))).status, 201);
  const again = await rt.app.request("/api/upstreams", json("POST", body({ name: "STUDIO" }), admin.headers));
  assert.equal(again.status, 409);
  assert.match((await again.json()).detail, /already exists/);
  const other =
    await (await rt.app.request("/api/upstreams", json("POST", body({ name: "laptop" }), admin.headers)))
      .json();
  const rename = await rt.app.request(
    `/api/upstreams/${other.id}`,
    json("PUT", body({ name: "Studio" }), admin.headers),
  );
  assert.equal(rename.status, 409);
});

Deno.test("/api/upstreams is for admins: a user gets 403 on every route but the machines list", async () => {
  await using rt = await testRuntime();
  const { admin, user } = await adminAndUser(rt);
  const created = await (await rt.app.request("/api/upstreams", json("POST", body(), admin.headers))).json();
  const requests: [string, RequestInit][] = [
    ["/api/upstreams", { headers: user.headers }],
    ["/api/upstreams", json("POST", body({ name: "other" }), user.headers)],
    [`/api/upstreams/${created.id}`, { headers: user.headers }],
    [`/api/upstreams/${created.id}`, json("PUT", body(), user.headers)],
    [`/api/upstreams/${created.id}`, { method: "DELETE", headers: user.headers }],
    [`/api/upstreams/${created.id}/check`, { method: "POST", headers: user.headers }],
  ];
  for (const [path, init] of requests) {
    const res = await rt.app.request(path, init);
    assert.equal(res.status, 403, `${init.method ?? "GET"} ${path}`);
  }
  assert.equal((await rt.app.request("/api/upstreams")).status, 401);
  const machines = await rt.app.request("/api/upstreams/machines", { headers: user.headers });
  assert.equal(machines.status, 200);
  const text = await machines.text();
  const [machine] = JSON.parse(text);
  assert.equal(machine.name, "studio");
  assert.equal(text.includes("base_url") || text.includes("127.0.0.1"), false, "no address for users");
  assert.equal(rt.deps.upstreams.list().length, 1, "the user's POST stored nothing");
});

Deno.test("POST /api/upstreams answers 409, not 500, to two admins adding the same name at once", async () => {
  await using rt = await testRuntime();
  const { admin } = await adminAndUser(rt);
  const statuses = await Promise.all(
    [1, 2, 3].map(async () =>
      (await rt.app.request("/api/upstreams", json("POST", body({ name: "twin" }), admin.headers))).status
    ),
  );
  assert.deepEqual(statuses.sort(), [201, 409, 409]);
});

Deno.test("one upstream name written twice at once: one POST 201 and one 409; racing renames end in one winner, never a 500", async () => {
  await using rt = await testRuntime();
  const { admin } = await adminAndUser(rt);
  const post = (name: string) =>
    rt.app.request("/api/upstreams", json("POST", body({ name }), admin.headers));
  const put = (id: number, name: string) =>
    rt.app.request(`/api/upstreams/${id}`, json("PUT", body({ name }), admin.headers));
  const statuses = (requests: (Response | Promise<Response>)[]) =>
    Promise.all(requests.map(async (request) => {
      const res = await request;
      await res.body?.cancel();
      return res.status;
    }));

  assert.deepEqual((await statuses([post("studio"), post("studio")])).sort(), [201, 409]);

  const ids: number[] = [];
  for (let i = 0; i < 4; i++) ids.push((await (await post(`machine-${i}`)).json()).id);
  // Each rename seals its key before it writes: a create of the name can come in between.
  const race = await statuses([...ids.map((id) => put(id, "taken")), ...ids.map(() => post("taken"))]);
  assert.equal(race.filter((s) => s === 200 || s === 201).length, 1, `statuses: ${race}`);
  assert.equal(race.filter((s) => s === 409).length, race.length - 1, `statuses: ${race}`);
  assert.equal(rt.deps.upstreams.list().filter((u) => u.name === "taken").length, 1);
});
