import assert from "node:assert/strict";
import { type ChatEvent, ChatStreamReader, completionEvents } from "../../../services/bridges/chat_events.ts";

function read(chunks: string[]): ChatEvent[] {
  const reader = new ChatStreamReader();
  return chunks.flatMap((c) => reader.feed(new TextEncoder().encode(c)));
}

Deno.test("ChatStreamReader reads frames split anywhere, CRLF and compact data lines, and skips comments", () => {
  const text = '{"choices":[{"delta":{"content":"Hé"}}]}';
  const whole = `data: ${text}\n\n: keep-alive\n\ndata:${text}\r\n\r\ndata: [DONE]\n\n`;
  const bytes = new TextEncoder().encode(whole);
  // Cut through the middle of the two-byte é as well as through the frames.
  const pieces = [bytes.slice(0, 30), bytes.slice(30, 31), bytes.slice(31, 70), bytes.slice(70)];
  const reader = new ChatStreamReader();
  const events = pieces.flatMap((p) => reader.feed(p));
  assert.deepEqual(events, [{ kind: "text", text: "Hé" }, { kind: "text", text: "Hé" }, { kind: "done" }]);
});

Deno.test("ChatStreamReader names a call once and passes its argument fragments, then the finish and usage", () => {
  const frame = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
  assert.deepEqual(
    read([
      frame({
        choices: [{
          delta: {
            reasoning_content: "r",
            tool_calls: [{ index: 0, id: "c1", function: { name: "f", arguments: "{" } }],
          },
        }],
      }),
      frame({ choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: "}" } }] } }] }),
      frame({
        choices: [{ delta: {}, finish_reason: "tool_calls" }],
        usage: { prompt_tokens: 2, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 1 } },
      }),
      frame({ error: { message: "boom", code: 500 } }),
    ]),
    [
      { kind: "reasoning", text: "r" },
      { kind: "tool_start", index: 0, id: "c1", name: "f" },
      { kind: "tool_args", index: 0, text: "{" },
      { kind: "tool_args", index: 0, text: "}" },
      { kind: "finish", reason: "tool_calls", stop: null },
      { kind: "usage", usage: { prompt_tokens: 2, completion_tokens: 3, cached_tokens: 1 } },
      { kind: "error", error: { message: "boom", type: "server_error", code: "500" } },
    ],
  );
});

Deno.test("completionEvents() turns a whole chat completion into the same events", () => {
  assert.deepEqual(
    completionEvents({ choices: [{ message: { content: "Hi" }, finish_reason: "stop" }] }),
    [{ kind: "text", text: "Hi" }, { kind: "finish", reason: "stop", stop: null }, { kind: "done" }],
  );
});
