import assert from "node:assert/strict";
import type { ChatEvent } from "../../../lib/chat/types.ts";
import { requestMessages, type UiMessage, uiMessage } from "../../../lib/chat/client.ts";
import { applyEvent, beforeLastAnswer, startTurn, stopTurn, toolResults } from "../../../lib/chat/turn.ts";

const METRICS = {
  ttft_ms: 10,
  tokens_per_second: 20,
  prompt_tokens: 5,
  completion_tokens: 6,
  total_tokens: 11,
  duration_ms: 300,
};
const CALL = {
  index: 0,
  id: "call_1",
  type: "function" as const,
  function: { name: "calculate", arguments: "{}" },
};

function play(events: ChatEvent[]): UiMessage[] {
  const messages = [uiMessage("user", { content: "hi" })];
  const turn = startTurn(messages, "m");
  for (const e of events) applyEvent(turn, e);
  return turn.messages;
}

Deno.test("applyEvent builds one answer from thinking, text and metrics", () => {
  const [, a] = play([
    { type: "conversation", id: 3, title: "hi" },
    { type: "thinking", content: "Hmm" },
    { type: "thinking", content: "…" },
    { type: "thinking_done", duration: 0.4 },
    { type: "response", content: "Hel" },
    { type: "response", content: "lo" },
    { type: "metrics", metrics: METRICS, profile_id: 1, model: "org/model" },
    { type: "done" },
  ]);
  assert.equal(a.reasoning, "Hmm…");
  assert.equal(a.reasoning_duration, 0.4);
  assert.equal(a.content, "Hello");
  assert.deepEqual(a.metrics, METRICS);
  assert.equal(a.model, "org/model");
  assert.equal(a.streaming, false);
});

Deno.test("applyEvent opens a new answer after tool results, in the order the server saves", () => {
  const messages = play([
    { type: "tool_call", tool_call: CALL },
    { type: "tool_calls_done" },
    { type: "metrics", metrics: METRICS, profile_id: 1, model: "m" },
    { type: "tool_result", tool_call_id: "call_1", name: "calculate", content: '{"result":4}' },
    { type: "response", content: "It is 4." },
    { type: "metrics", metrics: METRICS, profile_id: 1, model: "m" },
    { type: "done" },
  ]);
  assert.deepEqual(messages.map((m) => m.role), ["user", "assistant", "tool", "assistant"]);
  assert.deepEqual(messages[1].tool_calls, [CALL]);
  assert.equal(messages[3].content, "It is 4.");
  assert.deepEqual(toolResults(messages), { call_1: '{"result":4}' });
  assert.deepEqual(requestMessages("Be brief", messages), [
    { role: "system", content: "Be brief" },
    { role: "user", content: "hi" },
    { role: "assistant", content: "", tool_calls: [CALL] },
    { role: "tool", content: '{"result":4}', tool_call_id: "call_1", name: "calculate" },
    { role: "assistant", content: "It is 4." },
  ]);
});

Deno.test("an error in a later round gets its own answer; a stop marks the answer stopped", () => {
  const failed = play([
    { type: "tool_call", tool_call: CALL },
    { type: "tool_result", tool_call_id: "call_1", name: "calculate", content: "{}" },
    { type: "error", content: "The model server stopped" },
  ]);
  assert.deepEqual(failed.map((m) => m.role), ["user", "assistant", "tool", "assistant"]);
  assert.equal(failed[3].error, "The model server stopped");

  const messages = [uiMessage("user", { content: "hi" })];
  const turn = startTurn(messages, "m");
  applyEvent(turn, { type: "response", content: "Par" });
  stopTurn(turn);
  assert.equal(turn.current.streaming, false);
  assert.equal(turn.current.metrics?.stopped, true);
  assert.equal(turn.current.content, "Par");
});

Deno.test("beforeLastAnswer drops everything after the last user message", () => {
  const messages = play([
    { type: "tool_call", tool_call: CALL },
    { type: "tool_result", tool_call_id: "call_1", name: "calculate", content: "{}" },
    { type: "response", content: "done" },
  ]);
  assert.deepEqual(beforeLastAnswer(messages).map((m) => m.role), ["user"]);
});

Deno.test("requestMessages keeps attachments and reasoning on their turns", () => {
  const attachment = { kind: "text" as const, name: "a.txt", mime: "text/plain", data: "x" };
  assert.deepEqual(
    requestMessages("", [
      uiMessage("user", { content: "read this", attachments: [attachment] }),
      uiMessage("assistant", { content: "ok", reasoning: "short", reasoning_duration: 0.2 }),
    ]),
    [
      { role: "user", content: "read this", attachments: [attachment] },
      { role: "assistant", content: "ok", reasoning: "short", reasoning_duration: 0.2 },
    ],
  );
});

Deno.test("applyEvent shows why a turn waits until its answer begins, and keeps the calls that were not run", () => {
  const messages = [uiMessage("user", { content: "hi" })];
  const turn = startTurn(messages, "m");
  applyEvent(turn, { type: "waiting", reason: "starting", content: "Starting Qwen…" });
  assert.equal(turn.current.status, "Starting Qwen…");
  assert.equal(turn.current.streaming, true);
  for (
    const e of [
      { type: "tool_call", tool_call: CALL },
      { type: "tool_calls_done" },
      { type: "metrics", metrics: METRICS, profile_id: 1, model: "m" },
      { type: "tool_calls_not_run", reason: "tools_off", names: ["calculate"] },
      { type: "done" },
    ] as ChatEvent[]
  ) applyEvent(turn, e);
  assert.equal(turn.messages.length, 2, "no new answer opens for calls that were not run");
  assert.deepEqual(turn.current.not_run, { reason: "tools_off", names: ["calculate"] });
  assert.equal(turn.current.streaming, false);
});
