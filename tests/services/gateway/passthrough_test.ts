import assert from "node:assert/strict";
import { passthrough, type PassthroughEnd } from "../../../services/gateway/passthrough.ts";

const encoder = new TextEncoder();

/** A passthrough of `frames` (one chunk each) and how it ended. */
function wrap(frames: string[], sse = true) {
  const ends: PassthroughEnd[] = [];
  const upstream = ReadableStream.from(frames.map((f) => encoder.encode(f)));
  const body = passthrough(upstream, {
    sse,
    onChunk: () => {},
    cutReason: () => null,
    onEnd: (end) => ends.push(end),
  });
  return { reader: body.getReader(), ends };
}

Deno.test("passthrough() ends as done when the client hangs up right after [DONE], as the openai client does", async () => {
  const { reader, ends } = wrap(['data: {"choices":[]}\n\n', "data: [DONE]\n\n"]);
  await reader.read();
  await reader.read();
  await reader.cancel();
  assert.deepEqual(ends, ["done"]);
});

Deno.test("passthrough() ends as client_closed when the client hangs up before [DONE]", async () => {
  const { reader, ends } = wrap(['data: {"choices":[]}\n\n', "data: [DONE]\n\n"]);
  await reader.read();
  await reader.cancel();
  assert.deepEqual(ends, ["client_closed"]);
});

Deno.test("passthrough() reads [DONE] split across chunks, and only in an SSE answer", async () => {
  const split = wrap(["data: {}\n\ndata: [DO", "NE]\n\n"]);
  await split.reader.read();
  await split.reader.read();
  await split.reader.cancel();
  assert.deepEqual(split.ends, ["done"]);

  const json = wrap(["data: [DONE]\n\n", "more"], false);
  await json.reader.read();
  await json.reader.cancel();
  assert.deepEqual(json.ends, ["client_closed"], "a JSON body is not read for SSE frames");
});
