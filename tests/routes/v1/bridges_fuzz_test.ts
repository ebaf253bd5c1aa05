import assert from "node:assert/strict";
import { startGateway } from "./setup.ts";
import { mapLimit } from "../../../lib/pool.ts";

/** Values of every JSON type, and a few that break naive readers. */
const WRONG: unknown[] = [
  null,
  7,
  -1,
  1.5,
  "x",
  "",
  true,
  [],
  {},
  [null],
  [7],
  { type: 7 },
  "\u0000",
  "\ud800",
];

/** A valid request of each protocol, for a model nobody serves unless said otherwise. */
const BASES: Record<string, Record<string, unknown>> = {
  "/v1/messages": {
    model: "fuzz-nope",
    max_tokens: 16,
    messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    system: "s",
    tools: [{ name: "t", input_schema: { type: "object" } }],
    tool_choice: { type: "auto" },
    stop_sequences: ["x"],
    temperature: 0.5,
    top_p: 0.5,
    top_k: 5,
    stream: false,
  },
  "/v1/messages/count_tokens": {
    model: "fuzz-nope",
    messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
    system: "s",
    tools: [{ name: "t", input_schema: { type: "object" } }],
  },
  "/v1/responses": {
    model: "fuzz-nope",
    input: [{ type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] }],
    instructions: "s",
    tools: [{ type: "function", name: "t", parameters: { type: "object" } }],
    tool_choice: "auto",
    max_output_tokens: 16,
    temperature: 0.5,
    top_p: 0.5,
    stream: false,
    store: true,
    previous_response_id: "resp_x",
    text: { format: { type: "text" } },
  },
};

/** Nested places where a broken value hides inside an otherwise valid body. */
const NESTED: Record<string, [path: (string | number)[], values: unknown[]][]> = {
  "/v1/messages": [
    [["messages", 0], WRONG],
    [["messages", 0, "role"], [...WRONG, "tool", "developer"]],
    // A non-empty string is content too.
    [["messages", 0, "content"], WRONG.filter((v) => typeof v !== "string" || v === "")],
    [["messages", 0, "content", 0], [
      ...WRONG,
      { type: "text" },
      { type: "text", text: 7 },
      { type: "image" },
      { type: "image", source: { type: "base64" } },
      { type: "image", source: { type: "file", file_id: "f" } },
      { type: "tool_result" },
      { type: "tool_result", tool_use_id: 7, content: "x" },
    ]],
    [["tools", 0], [...WRONG, { name: "" }, { name: "t", input_schema: "x" }]],
    [["tool_choice"], [...WRONG, { type: "tool" }, { type: "maybe" }]],
  ],
  "/v1/messages/count_tokens": [
    [["messages", 0, "content", 0], [...WRONG, { type: "image", source: {} }]],
  ],
  "/v1/responses": [
    [["input", 0], [
      ...WRONG.filter((v) =>
        v !== null && typeof v === "object" ? !Array.isArray(v) && Object.keys(v).length > 0 : true
      ),
      { type: "function_call" },
      { type: "function_call_output" },
      { role: "robot", content: "x" },
    ]],
    [["input", 0, "content"], [7, true, {}, [{ type: "input_text", text: 7 }], [{ type: "input_image" }], [{
      type: "input_file",
      file_id: "f",
    }]]],
    [["tool_choice"], [7, "sometimes", []]],
    [["text"], [7, "x", { format: 7 }]],
  ],
};

function setAt(
  body: Record<string, unknown>,
  path: (string | number)[],
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(body);
  let at: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path.at(-1)!] = value;
  return copy;
}

/** Whether a body is an error in the protocol's own shape. */
function inShape(endpoint: string, body: Record<string, unknown>): boolean {
  const error = body?.error as Record<string, unknown> | undefined;
  if (endpoint.startsWith("/v1/messages")) {
    return body.type === "error" && typeof error?.type === "string" && typeof error?.message === "string";
  }
  return typeof error?.message === "string" && typeof error?.type === "string" && "code" in error;
}

Deno.test("bridge fuzz: malformed, mistyped and huge bodies on /v1/messages, count_tokens and /v1/responses are each a 4xx in the protocol's own shape", async () => {
  await using gw = await startGateway();
  await gw.profile({ name: "fuzzed" });
  const { key } = await gw.key();
  const cases: { endpoint: string; body: string; auth: boolean }[] = [];
  const raw = ["", "null", "[]", "7", '"x"', "{", '{"a":', "[".repeat(5000) + "]".repeat(5000), "{}"];
  for (const [endpoint, base] of Object.entries(BASES)) {
    for (const body of raw) cases.push({ endpoint, body, auth: true }, { endpoint, body, auth: false });
    for (const field of Object.keys(base)) {
      for (const value of WRONG) {
        // Only values the field does not take (a null optional field, a string system are fine).
        const body = setAt(base, [field], value);
        cases.push({ endpoint, body: JSON.stringify(body), auth: true });
      }
    }
    for (const [path, values] of NESTED[endpoint]) {
      for (const value of values) {
        cases.push({
          endpoint,
          body: JSON.stringify(setAt({ ...base, model: "fuzzed" }, path, value)),
          auth: true,
        });
      }
    }
    const huge = { ...base, model: "fuzz-nope" };
    cases.push(
      {
        endpoint,
        body: JSON.stringify({ ...huge, messages: Array(20_000).fill({ role: "user", content: "x" }) }),
        auth: true,
      },
      { endpoint, body: JSON.stringify({ ...huge, input: "x".repeat(2_000_000) }), auth: true },
      { endpoint, body: "x".repeat(26 * 1024 * 1024), auth: true },
    );
  }

  const findings: string[] = [];
  await mapLimit(cases, 6, async (c) => {
    const res = await fetch(`${gw.url}${c.endpoint}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(c.auth ? { "x-api-key": key } : {}) },
      body: c.body,
      signal: AbortSignal.timeout(20_000),
    });
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text);
    } catch { /* reported below */ }
    // A body that type-checks reaches routing and gets a 404 for the unknown model: still a 4xx.
    if (res.status < 400 || res.status >= 500 || !inShape(c.endpoint, body)) {
      findings.push(`${res.status} ${c.endpoint} ${c.body.slice(0, 120)} → ${text.slice(0, 160)}`);
    }
  });
  assert.deepEqual(
    findings.slice(0, 20),
    [],
    `${findings.length} of ${cases.length} answers were not a 4xx in shape`,
  );
});
