import assert from "node:assert/strict";
import { toChatRequest } from "../../../services/bridges/anthropic/request.ts";
import { AnthropicStream, THINKING_SIGNATURE } from "../../../services/bridges/anthropic/stream.ts";
import { toAnthropicMessage } from "../../../services/bridges/anthropic/message.ts";
import { anthropicError } from "../../../services/bridges/anthropic/errors.ts";
import { type ChatEvent, ChatStreamReader } from "../../../services/bridges/chat_events.ts";
import { GatewayError } from "../../../services/gateway/errors.ts";

const base = { model: "m", max_tokens: 100 };

Deno.test("anthropic toChatRequest() maps each request form onto chat completions", () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ["a string message", { messages: [{ role: "user", content: "Hi" }] }, {
      messages: [{ role: "user", content: "Hi" }],
    }],
    ["system blocks and a system entry merge first", {
      system: [{ type: "text", text: "A" }],
      messages: [{ role: "user", content: "Hi" }, { role: "system", content: "B" }],
    }, { messages: [{ role: "system", content: "A\n\nB" }, { role: "user", content: "Hi" }] }],
    ["tool results come first, is_error says Error", {
      messages: [{
        role: "user",
        content: [
          { type: "text", text: "next" },
          { type: "tool_result", tool_use_id: "t1", content: "boom", is_error: true },
        ],
      }],
    }, {
      messages: [{ role: "tool", tool_call_id: "t1", content: "Error: boom" }, {
        role: "user",
        content: "next",
      }],
    }],
    ["assistant thinking, text and tool use", {
      messages: [{
        role: "assistant",
        content: [
          { type: "thinking", thinking: "hmm", signature: "s" },
          { type: "redacted_thinking", data: "x" },
          { type: "tool_use", id: "t1", name: "Bash", input: { command: "ls" } },
        ],
      }],
    }, {
      messages: [{
        role: "assistant",
        content: "",
        reasoning_content: "hmm",
        tool_calls: [{
          id: "t1",
          type: "function",
          function: { name: "Bash", arguments: '{"command":"ls"}' },
        }],
      }],
    }],
    ["tools, any, stop_sequences, sampling, thinking off; server tools dropped", {
      messages: [{ role: "user", content: "x" }],
      tools: [{ name: "Bash", input_schema: { type: "object" }, defer_loading: true }, {
        type: "web_search_20250305",
        name: "web_search",
      }],
      tool_choice: { type: "any", disable_parallel_tool_use: true },
      stop_sequences: ["END"],
      temperature: 0.2,
      top_k: 4,
      thinking: { type: "disabled" },
      stream: true,
    }, {
      messages: [{ role: "user", content: "x" }],
      tools: [{ type: "function", function: { name: "Bash", parameters: { type: "object" } } }],
      tool_choice: "required",
      parallel_tool_calls: false,
      stop: ["END"],
      temperature: 0.2,
      top_k: 4,
      chat_template_kwargs: { enable_thinking: false },
      stream: true,
      stream_options: { include_usage: true },
    }],
  ];
  for (const [name, body, expected] of cases) {
    assert.deepEqual(
      toChatRequest({ ...base, ...body }).chat,
      { model: "m", max_tokens: 100, ...expected },
      name,
    );
  }
  const unset = toChatRequest({
    ...base,
    messages: [{ role: "user", content: "x" }],
    tools: [{ name: "t" }],
  });
  assert.equal(unset.chat.tool_choice, "auto", "Anthropic's default, whatever the server's own is");
});

Deno.test("anthropic toChatRequest() refuses what the protocol does not allow with a 400 naming the place", () => {
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ model: "m", messages: [{ role: "user", content: "x" }] }, /max_tokens/],
    [{ ...base, messages: [] }, /messages/],
    [
      { ...base, messages: [{ role: "user", content: [{ type: "image", source: { type: "file" } }] }] },
      /messages\.0\.content\.0\.source/,
    ],
    [{ ...base, messages: [{ role: "user", content: "" }] }, /non-empty/],
    [{
      ...base,
      messages: [{ role: "user", content: "x" }],
      tools: [{ name: "t" }],
      tool_choice: { type: "tool" },
    }, /tool_choice/],
  ];
  for (const [body, message] of bad) {
    assert.throws(
      () => toChatRequest(body),
      (e: unknown) => e instanceof GatewayError && e.status === 400 && message.test(e.message),
    );
  }
});

function run(chunks: string[], init = {}): string[] {
  const reader = new ChatStreamReader();
  const out = new AnthropicStream({
    id: "msg_1",
    model: "m",
    inputTokens: 3,
    maxTokens: 100,
    stopSequences: [],
    ...init,
  });
  let wire = out.start();
  for (const chunk of chunks) {
    for (const e of reader.feed(new TextEncoder().encode(chunk))) wire += out.push(e);
  }
  wire += out.end();
  return wire.trim().split("\n\n").map((block) => {
    const data = JSON.parse(block.split("\n")[1].slice(6));
    return data.type === "content_block_delta"
      ? `${data.delta.type}:${
        data.delta.text ?? data.delta.thinking ?? data.delta.partial_json ?? data.delta.signature
      }`
      : data.type === "message_delta"
      ? `message_delta:${data.delta.stop_reason}`
      : data.type === "content_block_start"
      ? `start:${data.content_block.type}`
      : data.type;
  });
}

const frame = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  `data: ${JSON.stringify({ choices: [{ delta, ...extra }] })}\n\n`;

Deno.test("AnthropicStream turns chat chunks into Anthropic's events: blocks in order, signed thinking, tool_use wins", () => {
  assert.deepEqual(
    run([
      frame({ role: "assistant" }),
      frame({ reasoning_content: "hm" }),
      frame({ content: "Hi" }),
      frame({}, { finish_reason: "stop" }),
      "data: [DONE]\n\n",
    ]),
    [
      "message_start",
      "start:thinking",
      "thinking_delta:hm",
      `signature_delta:${THINKING_SIGNATURE}`,
      "content_block_stop",
      "start:text",
      "text_delta:Hi",
      "content_block_stop",
      "message_delta:end_turn",
      "message_stop",
    ],
  );
  // Whitespace before a tool call opens no text block; a call in fragments is one tool_use block.
  assert.deepEqual(
    run([
      frame({ content: "\n" }),
      frame({ tool_calls: [{ index: 0, id: "call.1", function: { name: "Bash", arguments: "" } }] }),
      frame({ tool_calls: [{ index: 0, function: { arguments: '{"command":' } }] }) +
      frame({ tool_calls: [{ index: 0, function: { arguments: '"ls"}' } }] }),
      frame({}, { finish_reason: "stop" }),
    ]),
    [
      "message_start",
      "start:tool_use",
      'input_json_delta:{"command":',
      'input_json_delta:"ls"}',
      "content_block_stop",
      "message_delta:tool_use",
      "message_stop",
    ],
  );
  // As many tokens as the limit is max_tokens, though the server says stop.
  const limited = run([
    frame({ content: "a" }),
    `data: ${
      JSON.stringify({
        choices: [{ delta: {}, finish_reason: "stop" }],
        usage: { prompt_tokens: 5, completion_tokens: 100 },
      })
    }\n\n`,
  ]);
  assert.equal(limited.at(-2), "message_delta:max_tokens");
  const stopped = run([frame({ content: "a" }), frame({}, { finish_reason: "stop", stop_reason: "END" })], {
    stopSequences: ["END"],
  });
  assert.equal(stopped.at(-2), "message_delta:stop_sequence");
});

Deno.test("AnthropicStream: an error frame is one error event and nothing follows", () => {
  const out = new AnthropicStream({
    id: "msg_1",
    model: "m",
    inputTokens: 3,
    maxTokens: null,
    stopSequences: [],
  });
  const events: ChatEvent[] = [
    { kind: "text", text: "a" },
    { kind: "error", error: { message: "boom", type: "server_error", code: "500" } },
    { kind: "text", text: "b" },
    { kind: "done" },
  ];
  const wire = events.map((e) => out.push(e)).join("") + out.end();
  assert.equal(wire.match(/event: error/g)?.length, 1);
  assert.ok(!wire.includes("message_stop"));
  assert.ok(!wire.includes('"b"'));
  assert.match(wire, /"type":"api_error","message":"boom"/);
});

Deno.test("toAnthropicMessage() orders thinking, text and tool_use, and counts cached input apart", () => {
  const message = toAnthropicMessage({
    choices: [{
      finish_reason: "tool_calls",
      message: {
        content: "  ",
        reasoning_content: "r",
        tool_calls: [{ id: "call_1", function: { name: "Bash", arguments: '{"command":"ls"}' } }, {
          id: "call_2",
          function: { name: "Bad", arguments: "not json" },
        }],
      },
    }],
    usage: { prompt_tokens: 10, completion_tokens: 4, prompt_tokens_details: { cached_tokens: 6 } },
  }, { id: "msg_1", model: "m", maxTokens: 100, stopSequences: [] });
  assert.deepEqual(message.content, [
    { type: "thinking", thinking: "r", signature: THINKING_SIGNATURE },
    { type: "tool_use", id: "call_1", name: "Bash", input: { command: "ls" } },
    { type: "tool_use", id: "call_2", name: "Bad", input: {} },
  ]);
  assert.equal(message.stop_reason, "tool_use");
  assert.deepEqual(message.usage, {
    input_tokens: 4,
    output_tokens: 4,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 6,
  });
});

Deno.test("anthropicError() maps the gateway's codes to Anthropic's statuses and types", () => {
  const table: [number, string | null, number, string][] = [
    [401, "invalid_api_key", 401, "authentication_error"],
    [403, "model_not_allowed", 403, "permission_error"],
    [404, "model_not_found", 404, "not_found_error"],
    [413, "request_too_large", 413, "request_too_large"],
    [429, "queue_full", 529, "overloaded_error"],
    [429, "rate_limit_exceeded", 429, "rate_limit_error"],
    [429, "429", 429, "rate_limit_error"],
    [400, "invalid_json", 400, "invalid_request_error"],
    [503, "model_start_failed", 503, "api_error"],
    [502, "upstream_unavailable", 529, "overloaded_error"],
    [500, null, 500, "api_error"],
  ];
  for (const [status, code, want, type] of table) {
    assert.deepEqual(anthropicError(status, code), { status: want, type }, String(code));
  }
});
