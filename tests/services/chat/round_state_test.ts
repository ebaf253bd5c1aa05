import assert from "node:assert/strict";
import type { ChatEvent } from "../../../lib/chat/types.ts";
import { pushEvent, RoundState } from "../../../services/chat/round_state.ts";

/** A chunk in mlx-openai-server 1.5.1's exact shape (every delta field present). */
function chunk(delta: Record<string, unknown>, finish: string | null = null, usage: unknown = null): string {
  return JSON.stringify({
    id: "chatcmpl_1769500000042137",
    choices: [{
      delta: {
        content: null,
        function_call: null,
        refusal: null,
        role: "assistant",
        tool_calls: null,
        reasoning_content: null,
        ...delta,
      },
      finish_reason: finish,
      index: 0,
    }],
    created: 1769500000,
    model: "m",
    object: "chat.completion.chunk",
    usage,
    request_id: null,
  });
}

/** A clock that advances 100 ms per reading. */
function clock() {
  let t = 0;
  return () => (t += 100);
}

function feedAll(round: RoundState, payloads: string[]): ChatEvent[] {
  const events: ChatEvent[] = [];
  for (const p of payloads) for (const e of round.feed(p)) pushEvent(events, e);
  for (const e of round.end()) pushEvent(events, e);
  return events;
}

const USAGE = {
  prompt_tokens: 14,
  total_tokens: 22,
  completion_tokens: 8,
  prompt_tokens_details: { cached_tokens: 0 },
};

Deno.test("RoundState turns reasoning_content into thinking, then thinking_done when the answer starts", () => {
  const round = new RoundState(clock());
  const events = feedAll(round, [
    chunk({}),
    chunk({ reasoning_content: "The user " }),
    chunk({ reasoning_content: "asks" }),
    chunk({ content: "Paris" }),
    chunk({ content: "." }),
    chunk({ role: null }, "stop", USAGE),
  ]);
  assert.deepEqual(events.map((e) => e.type), ["thinking", "thinking_done", "response"]);
  assert.equal((events[0] as { content: string }).content, "The user asks");
  assert.equal((events[2] as { content: string }).content, "Paris.");
  assert.equal(round.reasoning, "The user asks");
  assert.equal(round.content, "Paris.");
  assert.equal(round.reasoningDuration, 0.2);
  assert.equal(round.finishReason, "stop");
  assert.deepEqual(round.usage, { prompt_tokens: 14, completion_tokens: 8, total_tokens: 22 });
});

Deno.test("RoundState splits inline <think> tags cut at every position across two chunks", () => {
  const text = "<think>Let me think.</think>You said: hi";
  for (let i = 0; i <= text.length; i++) {
    const round = new RoundState(clock());
    const events = feedAll(round, [chunk({ content: text.slice(0, i) }), chunk({ content: text.slice(i) })]);
    assert.equal(round.reasoning, "Let me think.", `split at ${i}`);
    assert.equal(round.content, "You said: hi", `split at ${i}`);
    assert.deepEqual(events.map((e) => e.type), ["thinking", "thinking_done", "response"], `split at ${i}`);
  }
});

Deno.test("RoundState merges tool-call fragments by index, also when later fragments carry no id", () => {
  const round = new RoundState(clock());
  const events = feedAll(round, [
    chunk({
      tool_calls: [{
        index: 0,
        id: "call_a",
        type: "function",
        function: { name: "get_weather", arguments: "" },
      }],
    }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '{"location": ' } }] }),
    chunk({
      tool_calls: [{ index: 1, id: "call_b", function: { name: "calculate", arguments: '{"expression"' } }],
    }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '"Tokyo"}' } }] }),
    chunk({ tool_calls: [{ index: 1, function: { arguments: ': "2+2"}' } }] }),
    chunk({ role: null }, "tool_calls", USAGE),
  ]);
  assert.deepEqual(events, [
    {
      type: "tool_call",
      tool_call: {
        index: 0,
        id: "call_a",
        type: "function",
        function: { name: "get_weather", arguments: '{"location": "Tokyo"}' },
      },
    },
    {
      type: "tool_call",
      tool_call: {
        index: 1,
        id: "call_b",
        type: "function",
        function: { name: "calculate", arguments: '{"expression": "2+2"}' },
      },
    },
    { type: "tool_calls_done" },
  ]);
});

Deno.test("RoundState gives a tool call without an id a stable generated one", () => {
  const round = new RoundState(clock());
  const events = feedAll(round, [
    chunk({ tool_calls: [{ index: 0, function: { name: "calculate", arguments: "{}" } }] }),
  ]);
  const call = (events[0] as { tool_call: { id: string } }).tool_call;
  assert.match(call.id, /^call_\w+$/);
  assert.equal(round.toolCalls[0].id, call.id);
});

Deno.test("RoundState reads a usage-only frame with no choices without failing", () => {
  const round = new RoundState(clock());
  const events = feedAll(round, [
    chunk({ content: "Hi" }),
    chunk({ role: null }, "stop"),
    JSON.stringify({ id: "x", object: "chat.completion.chunk", choices: [], usage: USAGE }),
  ]);
  assert.deepEqual(events, [{ type: "response", content: "Hi" }]);
  assert.equal(round.usage?.completion_tokens, 8);
});

Deno.test("RoundState records an in-stream error object", () => {
  const round = new RoundState(clock());
  round.feed(chunk({ content: "Hel" }));
  assert.deepEqual(
    round.feed(
      '{"error": {"message": "Failed to generate text response: boom", "type": "server_error", "code": "500"}}',
    ),
    [],
  );
  assert.equal(round.error, "Failed to generate text response: boom");
});

Deno.test("RoundState skips payloads that are not JSON and splits glued payloads", () => {
  const round = new RoundState(clock());
  assert.deepEqual(round.feed("not json"), []);
  const glued = `${chunk({ content: "a" })}\n${chunk({ content: "b" })}`;
  assert.deepEqual(round.feed(glued), [{ type: "response", content: "a" }, {
    type: "response",
    content: "b",
  }]);
});

Deno.test("RoundState records when the first and last tokens arrived", () => {
  const round = new RoundState(clock());
  round.feed(chunk({})); // the role chunk carries no token
  round.feed(chunk({ content: "a" }));
  round.feed(chunk({ content: "b" }));
  round.feed(chunk({ role: null }, "stop", USAGE));
  assert.equal(round.firstTokenAt, 200);
  assert.equal(round.lastTokenAt, 300);
  assert.equal(round.tokenChunks, 2);
});
