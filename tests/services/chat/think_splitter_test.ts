import assert from "node:assert/strict";
import { type SplitPart, ThinkSplitter } from "../../../services/chat/think_splitter.ts";

/** What the fake server streams without a reasoning parser: reasoning inline, then the answer. */
const STREAM = "<think>Let me think about this step by step.</think>You said: what is 2 < 3 <b>?";
const REASONING = "Let me think about this step by step.";
const ANSWER = "You said: what is 2 < 3 <b>?";

function run(pieces: string[]): { thinking: string; response: string; tags: string[]; parts: SplitPart[] } {
  const splitter = new ThinkSplitter();
  const parts = [...pieces.flatMap((p) => splitter.push(p)), ...splitter.flush()];
  const text = (kind: string) =>
    parts.filter((p) => p.kind === kind).map((p) => (p as { text: string }).text).join("");
  return {
    thinking: text("thinking"),
    response: text("response"),
    tags: parts.filter((p) => p.kind === "open" || p.kind === "close").map((p) => p.kind),
    parts,
  };
}

Deno.test("ThinkSplitter separates reasoning from the answer for every single split point of a real stream", () => {
  for (let i = 0; i <= STREAM.length; i++) {
    const got = run([STREAM.slice(0, i), STREAM.slice(i)]);
    assert.equal(got.thinking, REASONING, `split at ${i}`);
    assert.equal(got.response, ANSWER, `split at ${i}`);
    assert.deepEqual(got.tags, ["open", "close"], `split at ${i}`);
  }
});

Deno.test("ThinkSplitter separates reasoning from the answer for every pair of split points", () => {
  for (let i = 0; i <= STREAM.length; i++) {
    for (let j = i; j <= STREAM.length; j++) {
      const got = run([STREAM.slice(0, i), STREAM.slice(i, j), STREAM.slice(j)]);
      assert.equal(got.thinking, REASONING, `splits at ${i}, ${j}`);
      assert.equal(got.response, ANSWER, `splits at ${i}, ${j}`);
    }
  }
});

Deno.test("ThinkSplitter keeps the order of parts when fed one character at a time", () => {
  const got = run([...STREAM]);
  const kinds = got.parts.map((p) => p.kind).filter((k, i, all) => k !== all[i - 1]);
  assert.deepEqual(kinds, ["open", "thinking", "close", "response"]);
});

Deno.test("ThinkSplitter holds back only what could still be a tag, and releases it once it cannot", () => {
  const s = new ThinkSplitter();
  assert.deepEqual(s.push("a <th"), [{ kind: "response", text: "a " }]);
  assert.deepEqual(s.push("e end"), [{ kind: "response", text: "<the end" }]);
  assert.deepEqual(s.push("x <"), [{ kind: "response", text: "x " }]);
  assert.deepEqual(s.flush(), [{ kind: "response", text: "<" }]);
});

Deno.test("ThinkSplitter emits one part per piece of text, not one per character", () => {
  const s = new ThinkSplitter();
  assert.deepEqual(s.push("<think>a long thought</think>and the answer"), [
    { kind: "open" },
    { kind: "thinking", text: "a long thought" },
    { kind: "close" },
    { kind: "response", text: "and the answer" },
  ]);
});

Deno.test("ThinkSplitter drops a stray closing tag and releases an unfinished reasoning block at the end", () => {
  assert.equal(run(["plan</think>answer"]).response, "plananswer");
  const open = run(["<think>still thinking when the stream ended"]);
  assert.equal(open.thinking, "still thinking when the stream ended");
  assert.deepEqual(open.tags, ["open"]);
});
