import assert from "node:assert/strict";
import { SseDataDecoder } from "../../../lib/chat/sse_decoder.ts";

const WIRE = 'data: {"a": 1}\n\n' +
  'data:{"b":2}\r\n\r\n' +
  ": a comment\n\n" +
  'event: message\nid: 7\ndata: {"c":\ndata: 3}\n\n' +
  "data: [DONE]\n\n";
const PAYLOADS = ['{"a": 1}', '{"b":2}', '{"c":\n3}', "[DONE]"];

Deno.test("SseDataDecoder reads data with or without a space, CRLF, comments and multi-line data", () => {
  const d = new SseDataDecoder();
  assert.deepEqual([...d.push(WIRE), ...d.end()], PAYLOADS);
});

Deno.test("SseDataDecoder gives the same payloads however the bytes are cut", () => {
  for (let i = 0; i <= WIRE.length; i++) {
    for (let j = i; j <= WIRE.length; j += 3) {
      const d = new SseDataDecoder();
      const got = [
        ...d.push(WIRE.slice(0, i)),
        ...d.push(WIRE.slice(i, j)),
        ...d.push(WIRE.slice(j)),
        ...d.end(),
      ];
      assert.deepEqual(got, PAYLOADS, `cut at ${i}, ${j}`);
    }
  }
});

Deno.test("SseDataDecoder treats a CR split from its LF as one line end", () => {
  const d = new SseDataDecoder();
  assert.deepEqual(d.push("data: x\r"), []);
  assert.deepEqual(d.push("\n\r"), ["x"]);
  assert.deepEqual(d.push("\n"), []);
});

Deno.test("SseDataDecoder delivers a last event that lacks its blank line when the stream ends", () => {
  const d = new SseDataDecoder();
  assert.deepEqual(d.push("data: tail"), []);
  assert.deepEqual(d.end(), ["tail"]);
});
