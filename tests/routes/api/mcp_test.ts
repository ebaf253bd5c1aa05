import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
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
