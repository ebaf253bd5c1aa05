import assert from "node:assert/strict";
import { SseObserver } from "../../../services/gateway/observer.ts";

const enc = new TextEncoder();
const chunk = (delta: Record<string, unknown>, usage: unknown = null) =>
  `data: ${
    JSON.stringify({ choices: [{ delta: { content: null, role: "assistant", ...delta } }], usage })
  }\n\n`;

Deno.test("SseObserver counts the first token at the first content, not the role chunk, and reads usage", () => {
  let clock = 0;
  const seen = new SseObserver(() => clock);
  const wire = chunk({}) + chunk({ reasoning_content: "hm" }) + chunk({ content: "Pa" }) +
    chunk({ content: "ris" }) +
    chunk({ role: null }, { prompt_tokens: 9, completion_tokens: 3 }) + "data: [DONE]\n\n";
  clock = 1;
  seen.feed(enc.encode(wire.slice(0, 150)));
  clock = 2;
  for (let i = 150; i < wire.length; i += 37) seen.feed(enc.encode(wire.slice(i, i + 37)));
  const o = seen.observation;
  assert.ok(o.firstTokenAt !== null && o.firstTokenAt <= 2);
  assert.equal(o.deltas, 3);
  assert.deepEqual(o.usage, { prompt_tokens: 9, completion_tokens: 3 });
  assert.equal(o.done, true);
  assert.equal(o.error, null);
});

Deno.test("SseObserver sees an in-stream error frame and CRLF framing", () => {
  const seen = new SseObserver();
  seen.feed(enc.encode(`data:${JSON.stringify({ choices: [{ delta: { content: "a" } }] })}\r\n\r\n`));
  seen.feed(enc.encode(`data: {"error": {"message": "boom", "code": "500"}}\r\n\r\n`));
  assert.equal(seen.observation.deltas, 1);
  assert.equal(seen.observation.error, "boom");
  assert.equal(seen.observation.done, false);
});
