import assert from "node:assert/strict";
import type { ChatEvent } from "../../../lib/chat/types.ts";
import { EventBatcher } from "../../../services/chat/event_batcher.ts";

const text = (content: string): ChatEvent[] => [{ type: "response", content }];

Deno.test("EventBatcher sends a paced stream's events at once, each on its own", () => {
  let now = 0;
  const sent: ChatEvent[][] = [];
  const batcher = new EventBatcher(4, (events) => sent.push(events), () => now);
  for (const word of ["Hel", "lo", " wor", "ld"]) {
    batcher.push(text(word));
    now += 10; // slower than the window: nothing is ever held, no timer is left behind
  }
  assert.deepEqual(sent, [text("Hel"), text("lo"), text(" wor"), text("ld")]);
});

Deno.test("EventBatcher holds what arrives within the window after a write and sends it in one batch", async () => {
  let now = 0;
  const sent: ChatEvent[][] = [];
  const batcher = new EventBatcher(4, (events) => sent.push(events), () => now);
  batcher.push(text("a"));
  now = 1;
  batcher.push(text("b"));
  now = 2;
  batcher.push(text("c"));
  assert.deepEqual(sent, [text("a")], "the first goes out at once, the rest waits");
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(sent, [text("a"), text("bc")], "adjacent text merged into one event");
  now = 3;
  batcher.push(text("d"));
  batcher.flush();
  assert.deepEqual(sent.at(-1), text("d"), "flush sends what is held at once");
  now = 100;
  batcher.push(text("e"));
  batcher.discard();
  assert.deepEqual(sent.at(-1), text("e"), "after a quiet spell the next write goes out at once");
});
