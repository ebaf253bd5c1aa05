import assert from "node:assert/strict";
import { type TestRuntime, testRuntime } from "../../helpers/runtime.ts";
import { waitFor } from "../../helpers/net.ts";
import { startHttpFixture, stdioFixture } from "../../fixtures/mcp_launch.ts";
import { SECRET_MASK } from "../../../lib/mcp_types.ts";
import { adminAndUser, json } from "../../helpers/auth.ts";

Deno.test("GET /api/mcp/tools lists the two built-in tools", async () => {
  const rt = await testRuntime();
  const { user } = await adminAndUser(rt);
  try {
    const res = await rt.app.request("/api/mcp/tools", { headers: user.headers });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /application\/json/);
    const tools = await res.json();
    assert.deepEqual(tools.map((t: { function: { name: string } }) => t.function.name), [
      "get_weather",
      "calculate",
    ]);
  } finally {
    await rt.close();
  }
});

Deno.test("POST /api/mcp/execute runs a tool and answers 200 with its result or its error", async () => {
  const rt = await testRuntime();
  const { user } = await adminAndUser(rt);
  try {
    const run = async (body: unknown) => {
      const res = await rt.app.request("/api/mcp/execute", json("POST", body, user.headers));
      return { status: res.status, body: await res.json() };
    };
    assert.deepEqual(await run({ name: "calculate", arguments: { expression: "(1 + 2) ^ 2" } }), {
      status: 200,
      body: { expression: "(1 + 2) ^ 2", result: 9 },
    });
    const weather = await run({ name: "get_weather", arguments: { location: "Tokyo, Japan" } });
    assert.equal(weather.status, 200);
    assert.deepEqual(await run({ name: "get_weather", arguments: { location: "Tokyo, Japan" } }), weather);
    assert.deepEqual(await run({ name: "calculate", arguments: { expression: "2 / (1 - 1)" } }), {
      status: 200,
      body: { error: "Calculation failed: Division by zero" },
    });
    assert.deepEqual(await run({ name: "shell", arguments: {} }), {
      status: 200,
      body: { error: "Unknown tool: shell" },
    });
    const bad = await run({ name: "calculate", arguments: "2+2" });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.fields, { arguments: "arguments must be an object" });
  } finally {
    await rt.close();
  }
});

async function waitForState(rt: TestRuntime, headers: Record<string, string>, id: number, state: string) {
  return await waitFor(async () => {
    const server = await (await rt.app.request(`/api/mcp/servers/${id}`, { headers })).json();
    return server.state === state && server;
  }, `server ${id} ${state}`);
}

Deno.test("POST /api/mcp/servers registers a stdio server that connects; GET lists it with state and tools after the built-in one", async () => {
  await using rt = await testRuntime();
  const { admin, user } = await adminAndUser(rt);
  const res = await rt.app.request("/api/mcp/servers", json("POST", stdioFixture("fixture"), admin.headers));
  assert.equal(res.status, 201);
  const created = await res.json();
  assert.equal(created.name, "fixture");
  assert.equal(created.transport, "stdio");
  assert.equal(created.enabled, true);
  assert.equal(created.auto_approve, false);
  const ready = await waitForState(rt, user.headers, created.id, "connected");
  assert.equal(ready.error, null);
  const echo = ready.tools.find((t: { name: string }) => t.name === "echo");
  assert.deepEqual(echo.annotations, { readOnlyHint: true });
  assert.equal(echo.input_schema.type, "object");

  const list = await (await rt.app.request("/api/mcp/servers", { headers: user.headers })).json();
  assert.deepEqual(list.map((s: { id: number; name: string; state: string }) => [s.id, s.name, s.state]), [
    [0, "Built-in", "connected"],
    [created.id, "fixture", "connected"],
  ]);
  assert.deepEqual(list[0].tools.map((t: { name: string }) => t.name), ["get_weather", "calculate"]);
  const tools =
    await (await rt.app.request(`/api/mcp/servers/${created.id}/tools`, { headers: user.headers }))
      .json();
  assert.ok(tools.some((t: { name: string }) => t.name === "write_note"));
});

Deno.test("MCP server changes are for admins: users get 403, reading is open to them", async () => {
  await using rt = await testRuntime();
  const { admin, user } = await adminAndUser(rt);
  const created = await (await rt.app.request(
    "/api/mcp/servers",
    json("POST", stdioFixture("fixture", {}, { enabled: false }), admin.headers),
  )).json();
  const attempts: [string, string, unknown][] = [
    ["POST", "/api/mcp/servers", stdioFixture("mine")],
    ["PUT", `/api/mcp/servers/${created.id}`, stdioFixture("renamed")],
    ["DELETE", `/api/mcp/servers/${created.id}`, undefined],
    ["POST", `/api/mcp/servers/${created.id}/reconnect`, {}],
    ["POST", "/api/mcp/import", { mcpServers: {} }],
    ["GET", "/api/mcp/export", undefined],
  ];
  for (const [method, path, body] of attempts) {
    const init = body === undefined ? { method, headers: user.headers } : json(method, body, user.headers);
    const res = await rt.app.request(path, init);
    assert.equal(res.status, 403, `${method} ${path}`);
    assert.match((await res.json()).detail, /Only admins/);
  }
  const list = await rt.app.request("/api/mcp/servers", { headers: user.headers });
  assert.equal(list.status, 200);
  assert.equal((await list.json())[1].state, "disabled");
});

Deno.test("bad MCP server input answers 422 naming the field; unknown ids 404; taken names 409", async () => {
  await using rt = await testRuntime();
  const { admin } = await adminAndUser(rt);
  const post = async (body: unknown) => {
    const res = await rt.app.request("/api/mcp/servers", json("POST", body, admin.headers));
    return { status: res.status, body: await res.json() };
  };
  const cases: [unknown, string][] = [
    [{ name: "x", transport: "ftp" }, "transport"],
    [{ name: "x", transport: "stdio" }, "command"],
    [{ name: "x", transport: "http", url: "file:///etc/passwd" }, "url"],
    [{ name: "", transport: "stdio", command: "x" }, "name"],
    [{ name: "x", transport: "stdio", command: "x", env: { "BAD-NAME": "1" } }, "env.BAD-NAME"],
    [{ name: "x", transport: "stdio", command: "x", cwd: "relative" }, "cwd"],
    [{ name: "x", transport: "http", url: "http://h/mcp", headers: { A: "a\nb" } }, "headers.A"],
    [{ name: "x", transport: "stdio", command: "x", auto_approve: "yes" }, "auto_approve"],
  ];
  for (const [body, field] of cases) {
    const got = await post(body);
    assert.equal(got.status, 422, JSON.stringify(body));
    assert.ok(got.body.fields?.[field], `${JSON.stringify(got.body)} names ${field}`);
  }
  assert.equal((await post(stdioFixture("one", {}, { enabled: false }))).status, 201);
  const taken = await post(stdioFixture("ONE", {}, { enabled: false }));
  assert.equal(taken.status, 409);
  assert.equal((await post(stdioFixture("built-in"))).status, 409);
  for (const path of ["/api/mcp/servers/999", "/api/mcp/servers/abc"]) {
    assert.equal((await rt.app.request(path, { headers: admin.headers })).status, 404);
  }
  assert.equal(
    (await rt.app.request("/api/mcp/servers/999", { method: "DELETE", headers: admin.headers })).status,
    404,
  );
  assert.equal(
    (await rt.app.request("/api/mcp/servers/0", json("PUT", stdioFixture("z"), admin.headers))).status,
    409,
  );
});

Deno.test("secrets of MCP servers never appear in a response, the log, the database or the event bus", async () => {
  const logs: string[] = [];
  await using rt = await testRuntime({ logs });
  await using http = await startHttpFixture({ MCP_FIXTURE_TOKEN: "http-secret-value" });
  const { admin, user } = await adminAndUser(rt);
  const seen: string[] = [];
  const keep = async (res: Response) => {
    const text = await res.text();
    seen.push(text);
    return JSON.parse(text);
  };
  const stdio = await keep(
    await rt.app.request(
      "/api/mcp/servers",
      json("POST", stdioFixture("fixture", { MCP_FIXTURE_TOKEN: "stdio-secret-value" }), admin.headers),
    ),
  );
  assert.deepEqual(stdio.env, { MCP_FIXTURE_TOKEN: SECRET_MASK });
  const remoteBody = {
    name: "remote",
    transport: "http",
    url: http.url,
    headers: { Authorization: "Bearer http-secret-value" },
  };
  const remote = await keep(
    await rt.app.request("/api/mcp/servers", json("POST", remoteBody, admin.headers)),
  );
  assert.deepEqual(remote.headers, { Authorization: SECRET_MASK });
  await waitForState(rt, admin.headers, remote.id, "connected");
  await waitForState(rt, admin.headers, stdio.id, "connected");

  // Saving the masked values keeps the stored ones: the server still gets in.
  const edited = await keep(
    await rt.app.request(
      `/api/mcp/servers/${remote.id}`,
      json(
        "PUT",
        { ...remoteBody, headers: { Authorization: SECRET_MASK }, auto_approve: ["echo"] },
        admin.headers,
      ),
    ),
  );
  assert.deepEqual(edited.auto_approve, ["echo"]);
  await waitForState(rt, admin.headers, remote.id, "connected");
  // A masked value with nothing stored behind it is refused.
  const unknown = await rt.app.request(
    `/api/mcp/servers/${remote.id}`,
    json("PUT", { ...remoteBody, headers: { "X-New": SECRET_MASK } }, admin.headers),
  );
  assert.equal(unknown.status, 422);

  await keep(await rt.app.request("/api/mcp/servers", { headers: admin.headers }));
  await keep(await rt.app.request("/api/mcp/servers", { headers: user.headers }));
  await keep(await rt.app.request(`/api/mcp/servers/${stdio.id}`, { headers: admin.headers }));
  await keep(await rt.app.request("/api/mcp/export", { headers: admin.headers }));
  await keep(await rt.app.request(`/api/mcp/servers/${stdio.id}/reconnect`, json("POST", {}, admin.headers)));
  await waitForState(rt, admin.headers, stdio.id, "connected");

  const rows = rt.db.prepare("SELECT * FROM mcp_servers").all();
  const events = rt.deps.bus.since(0) ?? [];
  assert.ok(events.some((e) => e.type === "mcp.changed"));
  const everything = [...seen, ...logs, JSON.stringify(rows), JSON.stringify(events)].join("\n");
  for (const secret of ["stdio-secret-value", "http-secret-value"]) {
    assert.ok(!everything.includes(secret), `${secret} leaked`);
  }
  // The stdio server printed its token to stderr: it is kept hidden.
  assert.ok(logs.length > 0);
});

Deno.test("POST /api/mcp/import registers mcp.json servers and skips the rest; GET /api/mcp/export writes them masked", async () => {
  await using rt = await testRuntime();
  const { admin } = await adminAndUser(rt);
  await rt.app.request(
    "/api/mcp/servers",
    json("POST", stdioFixture("existing", {}, { enabled: false }), admin.headers),
  );
  const doc = {
    mcpServers: {
      files: { command: "/bin/true", args: ["a"], env: { TOKEN: "import-secret" }, disabled: true },
      remote: {
        url: "http://127.0.0.1:9/mcp",
        headers: { Authorization: "Bearer import-secret-2" },
        disabled: true,
      },
      existing: { command: "/bin/true" },
      broken: { args: ["no command"] },
    },
  };
  const res = await rt.app.request("/api/mcp/import", json("POST", doc, admin.headers));
  assert.equal(res.status, 201);
  const outcome = await res.json();
  assert.deepEqual(outcome.created.map((s: { name: string }) => s.name), ["files", "remote"]);
  assert.deepEqual(outcome.skipped, [
    { name: "existing", reason: "a server of this name is already registered" },
    { name: "broken", reason: "an entry needs a command (stdio) or a url (http)" },
  ]);
  const exported = await rt.app.request("/api/mcp/export", { headers: admin.headers });
  assert.match(exported.headers.get("content-disposition")!, /mcp\.json/);
  const text = await exported.text();
  assert.ok(!text.includes("import-secret"));
  assert.deepEqual(JSON.parse(text).mcpServers.files, {
    command: "/bin/true",
    args: ["a"],
    env: { TOKEN: SECRET_MASK },
    disabled: true,
  });
  const bad = await rt.app.request("/api/mcp/import", json("POST", { servers: [] }, admin.headers));
  assert.equal(bad.status, 422);
});

Deno.test("a crashing MCP server is pushed as disconnected, then connected again; DELETE ends its process", async () => {
  await using rt = await testRuntime({ runtime: { mcpTiming: { backoffBaseMs: 50 } } });
  const { admin } = await adminAndUser(rt);
  const created =
    await (await rt.app.request("/api/mcp/servers", json("POST", stdioFixture("fixture"), admin.headers)))
      .json();
  await waitForState(rt, admin.headers, created.id, "connected");
  const states: string[] = [];
  const stop = rt.deps.bus.subscribe((e) => {
    if (e.type !== "mcp.changed") return;
    const state = (e.data as { server: { state: string } | null }).server?.state ?? "removed";
    if (states.at(-1) !== state) states.push(state);
  });
  try {
    await rt.deps.mcp.callTool(created.id, "crash", {}, { timeoutMs: 5000 }).catch(() => {});
    const back = await waitForState(rt, admin.headers, created.id, "connected");
    assert.deepEqual(states.slice(0, 3), ["disconnected", "connecting", "connected"]);
    assert.equal(back.error, null);
    const pid = rt.deps.mcp.pid(created.id)!;
    assert.ok(pid > 0);
    const res = await rt.app.request(`/api/mcp/servers/${created.id}`, {
      method: "DELETE",
      headers: admin.headers,
    });
    assert.equal(res.status, 204);
    assert.throws(() => Deno.kill(-pid, "SIGCONT"));
    assert.equal(states.at(-1), "removed");
    assert.equal(
      (await rt.app.request(`/api/mcp/servers/${created.id}`, { headers: admin.headers })).status,
      404,
    );
  } finally {
    stop();
  }
});

Deno.test("one MCP server name written twice at once: one POST 201 and one 409; racing renames end in one winner, never a 500", async () => {
  await using rt = await testRuntime();
  const { admin } = await adminAndUser(rt);
  // Disabled, so nothing connects; a header to seal makes each write wait for the cipher.
  const server = (name: string) => ({
    name,
    transport: "http",
    url: "http://127.0.0.1:9/mcp",
    enabled: false,
    headers: { authorization: "Bearer s" },
  });
  const post = (name: string) =>
    rt.app.request("/api/mcp/servers", json("POST", server(name), admin.headers));
  const put = (id: number, name: string) =>
    rt.app.request(`/api/mcp/servers/${id}`, json("PUT", server(name), admin.headers));
  const statuses = (requests: (Response | Promise<Response>)[]) =>
    Promise.all(requests.map(async (request) => {
      const res = await request;
      await res.body?.cancel();
      return res.status;
    }));

  assert.deepEqual((await statuses([post("files"), post("files")])).sort(), [201, 409]);

  const ids: number[] = [];
  for (let i = 0; i < 4; i++) ids.push((await (await post(`server ${i}`)).json()).id);
  const race = await statuses([...ids.map((id) => put(id, "taken")), ...ids.map(() => post("taken"))]);
  assert.equal(race.filter((s) => s === 200 || s === 201).length, 1, `statuses: ${race}`);
  assert.equal(race.filter((s) => s === 409).length, race.length - 1, `statuses: ${race}`);
  assert.equal(rt.deps.mcp.list().filter((s) => s.name === "taken").length, 1);
});
