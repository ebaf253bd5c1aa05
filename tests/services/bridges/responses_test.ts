import assert from "node:assert/strict";
import { readResponsesRequest, toChatRequest } from "../../../services/bridges/responses/request.ts";
import { ResponsesStream } from "../../../services/bridges/responses/stream.ts";
import { toResponse } from "../../../services/bridges/responses/object.ts";
import { ResponseStore } from "../../../services/bridges/responses/store.ts";
import { modelFolder, TokenCounter } from "../../../services/bridges/tokens.ts";
import { ChatStreamReader } from "../../../services/bridges/chat_events.ts";
import { openDb } from "../../../db/mod.ts";
import { GatewayError } from "../../../services/gateway/errors.ts";

const chat = (body: Record<string, unknown>, history: Record<string, unknown>[] = []) =>
  toChatRequest(readResponsesRequest({ model: "m", ...body }), history);

Deno.test("responses toChatRequest() maps Codex's request onto chat completions", () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ["a string input", { input: "Hi" }, { messages: [{ role: "user", content: "Hi" }] }],
    ["instructions and developer items lead as one system message", {
      instructions: "I",
      input: [
        { type: "message", id: "msg_1", role: "developer", content: [{ type: "input_text", text: "D1" }] },
        { type: "message", role: "user", content: [{ type: "input_text", text: "U" }] },
        { role: "system", content: "S" },
      ],
    }, { messages: [{ role: "system", content: "I\n\nD1\n\nS" }, { role: "user", content: "U" }] }],
    ["reasoning, text and calls merge into one assistant turn; outputs are tool messages", {
      input: [
        { role: "user", content: "go" },
        {
          type: "reasoning",
          id: "rs_1",
          summary: [{ type: "summary_text", text: "plan" }],
          encrypted_content: "zzz",
        },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "ok" }] },
        { type: "function_call", call_id: "c1", name: "exec_command", arguments: '{"cmd":"ls"}' },
        { type: "custom_tool_call", call_id: "c2", name: "apply_patch", input: "*** patch" },
        { type: "function_call_output", call_id: "c1", output: "a b" },
        { type: "custom_tool_call_output", call_id: "c2", output: [{ type: "input_text", text: "done" }] },
        { type: "web_search_call", id: "ws_1" },
      ],
    }, {
      messages: [
        { role: "user", content: "go" },
        {
          role: "assistant",
          content: "ok",
          reasoning_content: "plan",
          tool_calls: [
            { id: "c1", type: "function", function: { name: "exec_command", arguments: '{"cmd":"ls"}' } },
            { id: "c2", type: "function", function: { name: "apply_patch", arguments: "*** patch" } },
          ],
        },
        { role: "tool", tool_call_id: "c1", content: "a b" },
        { role: "tool", tool_call_id: "c2", content: "done" },
      ],
    }],
    ["function tools only; choice, parallel calls, limits, format and effort", {
      input: "x",
      tools: [
        { type: "function", name: "f", parameters: { type: "object" }, strict: false },
        { type: "web_search", external_web_access: false },
        { type: "namespace", name: "ns", tools: [] },
      ],
      tool_choice: { type: "function", name: "f" },
      parallel_tool_calls: true,
      max_output_tokens: 50,
      temperature: 0.1,
      text: { format: { type: "json_schema", name: "out", schema: { type: "object" }, strict: true } },
      reasoning: { effort: "minimal", summary: "auto" },
      store: false,
      include: ["reasoning.encrypted_content"],
      prompt_cache_key: "k",
      client_metadata: { a: "b" },
      stream: true,
    }, {
      messages: [{ role: "user", content: "x" }],
      tools: [{ type: "function", function: { name: "f", parameters: { type: "object" }, strict: false } }],
      tool_choice: { type: "function", function: { name: "f" } },
      parallel_tool_calls: true,
      max_tokens: 50,
      temperature: 0.1,
      response_format: {
        type: "json_schema",
        json_schema: { name: "out", schema: { type: "object" }, strict: true },
      },
      chat_template_kwargs: { enable_thinking: false },
      stream: true,
      stream_options: { include_usage: true },
    }],
  ];
  for (const [name, body, expected] of cases) assert.deepEqual(chat(body), { model: "m", ...expected }, name);
  assert.deepEqual(chat({ input: "again" }, [{ role: "user", content: "first" }]).messages, [
    { role: "user", content: "first" },
    { role: "user", content: "again" },
  ], "history comes first");
  for (
    const bad of [{ input: [{ type: "function_call", name: "f" }] }, {
      input: [{ role: "user", content: [{ type: "input_file", file_id: "f" }] }],
    }, { input: [{}] }]
  ) {
    assert.throws(
      () => chat(bad),
      (e: unknown) => e instanceof GatewayError && e.status === 400,
      JSON.stringify(bad),
    );
  }
});

const base = () => ({
  id: "resp_1",
  createdAt: 1,
  model: "m",
  request: readResponsesRequest({ model: "m", input: "x", max_output_tokens: 100 }),
});

function types(chunks: string[]): { wire: string[]; out: ResponsesStream } {
  const reader = new ChatStreamReader();
  const out = new ResponsesStream(base());
  let wire = out.start();
  for (const c of chunks) for (const e of reader.feed(new TextEncoder().encode(c))) wire += out.push(e);
  wire += out.end();
  const events = wire.trim().split("\n\n").map((b) => JSON.parse(b.split("\n")[1].slice(6)));
  events.forEach((e, i) => assert.equal(e.sequence_number, i));
  return { wire: events.map((e) => e.type), out };
}

const frame = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ choices: [{ delta, ...extra }] })}\n\n`;

Deno.test("ResponsesStream gives each item its own output_index and closes each before the next", () => {
  const { wire, out } = types([
    frame({ reasoning_content: "r" }),
    frame({ content: "Hi" }),
    frame({ tool_calls: [{ index: 0, id: "call_1", function: { name: "f", arguments: "{}" } }] }),
    `data: ${
      JSON.stringify({
        choices: [{ delta: {}, finish_reason: "tool_calls" }],
        usage: { prompt_tokens: 3, completion_tokens: 2 },
      })
    }\n\n`,
  ]);
  assert.deepEqual(wire, [
    "response.created",
    "response.in_progress",
    "response.output_item.added",
    "response.reasoning_text.delta",
    "response.reasoning_text.done",
    "response.output_item.done",
    "response.output_item.added",
    "response.content_part.added",
    "response.output_text.delta",
    "response.output_text.done",
    "response.content_part.done",
    "response.output_item.done",
    "response.output_item.added",
    "response.function_call_arguments.delta",
    "response.function_call_arguments.done",
    "response.output_item.done",
    "response.completed",
  ]);
  const final = out.final!;
  assert.deepEqual((final.output as { type: string }[]).map((i) => i.type), [
    "reasoning",
    "message",
    "function_call",
  ]);
  assert.equal(final.output_text, "Hi");
  assert.deepEqual(final.usage, {
    input_tokens: 3,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 2,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 5,
  });
  const limited = types([
    `data: ${
      JSON.stringify({
        choices: [{ delta: { content: "a" }, finish_reason: "stop" }],
        usage: { prompt_tokens: 1, completion_tokens: 100 },
      })
    }\n\n`,
  ]);
  assert.equal(limited.wire.at(-1), "response.incomplete");
  assert.deepEqual(limited.out.final!.incomplete_details, { reason: "max_output_tokens" });
});

Deno.test("ResponsesStream: an error frame is one response.failed with the message, and nothing follows", () => {
  const { wire, out } = types([
    frame({ content: "partial" }),
    `data: ${JSON.stringify({ error: { message: "boom", type: "server_error", code: "500" } })}\n\n`,
    frame({ content: "more" }),
  ]);
  assert.equal(wire.at(-1), "response.failed");
  assert.equal(wire.filter((t) => t === "response.failed").length, 1);
  assert.ok(!wire.includes("response.completed"));
  assert.deepEqual(out.final!.error, { code: "server_error", message: "boom" });
  assert.deepEqual(out.final!.output, [], "the message the failure cut short is not output");
});

Deno.test("toResponse() puts reasoning, message and calls in order with Codex's usage", () => {
  const response = toResponse({
    choices: [{
      finish_reason: "tool_calls",
      message: {
        content: "",
        reasoning_content: "r",
        tool_calls: [{ id: "call_9", function: { name: "f", arguments: "{}" } }],
      },
    }],
    usage: { prompt_tokens: 4, completion_tokens: 1 },
  }, base());
  assert.deepEqual((response.output as { type: string }[]).map((i) => i.type), [
    "reasoning",
    "function_call",
  ]);
  assert.equal((response.output as { call_id?: string }[])[1].call_id, "call_9");
  assert.equal((response.usage as { total_tokens: number }).total_tokens, 5);
  assert.equal(response.status, "completed");
});

Deno.test("ResponseStore keeps a chain per owner, oldest turn first, and prunes past the retention", () => {
  const db = openDb(":memory:");
  db.exec(
    "INSERT INTO users (id, email, email_key, password_hash, status, created_at) VALUES (1, 'a', 'a', 'x', 'approved', ''), (2, 'b', 'b', 'x', 'approved', '')",
  );
  const store = new ResponseStore({ db, retentionDays: 30 });
  const turn = (id: string, previousId: string | null, text: string) => ({
    id,
    userId: 1,
    previousId,
    input: [{ role: "user", content: text }],
    output: [{ type: "message", text }],
    response: { id },
  });
  store.save(turn("resp_a", null, "one"));
  store.save(turn("resp_b", "resp_a", "two"));
  assert.deepEqual(store.history("resp_b", 1).map((i) => i.text ?? i.content), ["one", "one", "two", "two"]);
  assert.throws(
    () => store.history("resp_b", 2),
    (e: unknown) => e instanceof GatewayError && e.code === "previous_response_not_found",
  );
  assert.equal(store.get("resp_a", 2), null, "another user's response is not found");
  assert.equal(store.delete("resp_a", 2), false);
  assert.equal(store.prune(Date.now()), 0);
  assert.equal(store.prune(Date.now() + 31 * 86_400_000), 2);
  db.close();
});

Deno.test("modelFolder() finds a repo's snapshot in the hub cache; TokenCounter estimates without a tokenizer", async () => {
  const cache = await Deno.makeTempDir();
  const repo = `${cache}/models--org--name`;
  await Deno.mkdir(`${repo}/refs`, { recursive: true });
  await Deno.writeTextFile(`${repo}/refs/main`, "abc123\n");
  assert.equal(await modelFolder("org/name", cache), `${repo}/snapshots/abc123`);
  assert.equal(await modelFolder("org/missing", cache), null);
  assert.equal(await modelFolder("/abs/folder", cache), "/abs/folder");
  assert.deepEqual(await new TokenCounter(cache).count("org/name", "x".repeat(40)), {
    tokens: 10,
    method: "estimate",
  });
  await Deno.remove(cache, { recursive: true });
});
