import assert from "node:assert/strict";
import { BUILTIN_TOOLS, executeTool, parseToolArguments } from "../../../../services/chat/tools/mod.ts";
import { stableHash, weather } from "../../../../services/chat/tools/weather.ts";

Deno.test("the built-in tools are get_weather and calculate, in OpenAI's function format", () => {
  assert.deepEqual(BUILTIN_TOOLS.map((t) => t.function.name), ["get_weather", "calculate"]);
  for (const tool of BUILTIN_TOOLS) {
    assert.equal(tool.type, "function");
    assert.equal(tool.function.parameters.type, "object");
  }
  assert.deepEqual(BUILTIN_TOOLS[0].function.parameters.required, ["location"]);
  assert.deepEqual(BUILTIN_TOOLS[1].function.parameters.required, ["expression"]);
});

Deno.test("get_weather answers the same for the same place, whatever the case, in a child process too", async () => {
  const here = executeTool("get_weather", { location: "Tokyo, Japan" });
  assert.deepEqual(executeTool("get_weather", { location: "  tokyo, japan " }), {
    ...here,
    location: "tokyo, japan",
  });
  // A fresh process computes the same answer: the hash is not randomised per process.
  const code = `import { weather } from "${new URL(
    "../../../../services/chat/tools/weather.ts",
    import.meta.url,
  )}";
    console.log(JSON.stringify(weather("Tokyo, Japan")));`;
  const out = await new Deno.Command(Deno.execPath(), { args: ["eval", code], stdout: "piped" }).output();
  assert.deepEqual(JSON.parse(new TextDecoder().decode(out.stdout)), here);
  assert.equal(stableHash("a"), 0xe40c292c); // FNV-1a test vector
});

Deno.test("get_weather keeps its figures in range and honours the unit", () => {
  for (const place of ["Oslo", "Lima", "Cairo", "Perth", "Quito", "Nairobi", "Reykjavík"]) {
    const c = weather(place);
    assert.ok(c.temperature >= 10 && c.temperature < 35, `${place}: ${c.temperature}`);
    assert.ok(c.humidity >= 30 && c.humidity <= 90);
    const f = executeTool("get_weather", { location: place, unit: "Fahrenheit" });
    assert.equal(f.unit, "fahrenheit");
    assert.ok((f.temperature as number) >= 50 && (f.temperature as number) < 95);
  }
});

Deno.test("get_weather and calculate answer errors the model can read", () => {
  assert.deepEqual(executeTool("get_weather", {}), { error: "Location is required" });
  assert.deepEqual(executeTool("get_weather", { location: "Rome", unit: "kelvin" }), {
    error: 'Unknown unit "kelvin": use celsius or fahrenheit',
  });
  assert.deepEqual(executeTool("calculate", { expression: "" }), {
    error: "Calculation failed: Expression is required",
  });
  assert.deepEqual(executeTool("calculate", { expression: "1/0" }), {
    error: "Calculation failed: Division by zero",
  });
  assert.deepEqual(executeTool("calculate", { expression: "2 + 3 * 4" }), {
    expression: "2 + 3 * 4",
    result: 14,
  });
  assert.deepEqual(executeTool("rm_rf", {}), { error: "Unknown tool: rm_rf" });
});

Deno.test("parseToolArguments reads JSON strings and objects and reports the rest", () => {
  assert.deepEqual(parseToolArguments('{"city": "Tokyo"}'), { ok: true, args: { city: "Tokyo" } });
  assert.deepEqual(parseToolArguments({ city: "Tokyo" }), { ok: true, args: { city: "Tokyo" } });
  assert.deepEqual(parseToolArguments(""), { ok: true, args: {} });
  assert.deepEqual(parseToolArguments("{oops"), { ok: false, error: "Invalid arguments: not valid JSON" });
  assert.deepEqual(parseToolArguments("[1]"), {
    ok: false,
    error: "Invalid arguments: expected a JSON object",
  });
});
