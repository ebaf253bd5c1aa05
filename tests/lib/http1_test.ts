import assert from "node:assert/strict";
import { ChunkedDecoder } from "../../lib/http1.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

Deno.test("ChunkedDecoder de-chunks a body cut at every byte, with extensions and trailers", () => {
  const wire =
    "4\r\ndata\r\n6;ext=1\r\n: more\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nx-trailer: 1\r\n\r\n";
  const bytes = enc.encode(wire);
  for (let cut = 1; cut < bytes.length; cut++) {
    const decoder = new ChunkedDecoder();
    let out = "";
    const collect = (data: Uint8Array) => out += new TextDecoder().decode(data);
    decoder.push(bytes.subarray(0, cut), collect);
    assert.equal(decoder.done, false, `not done after ${cut} bytes`);
    decoder.push(bytes.subarray(cut), collect);
    assert.equal(out, "data: moreabcdefghijklmnopqrstuvwxyz", `cut at ${cut}`);
    assert.equal(decoder.done, true);
  }
  assert.throws(() => new ChunkedDecoder().push(enc.encode("zz\r\n"), () => {}), /Malformed/);
});

Deno.test("ChunkedDecoder removes the framing however the input is split, and sees the end", () => {
  const wire = "4\r\nWiki\r\n7;ext=1\r\npedia i\r\nB\r\nn \r\nchunks.\r\n0\r\nX-Trailer: 1\r\n\r\n";
  for (const size of [1, 2, 3, 5, 7, 11, wire.length]) {
    const d = new ChunkedDecoder();
    let out = "";
    for (let i = 0; i < wire.length; i += size) {
      out += dec.decode(d.decode(enc.encode(wire.slice(i, i + size))));
    }
    assert.equal(out, "Wikipedia in \r\nchunks.", `pieces of ${size}`);
    assert.equal(d.done, true);
  }
  assert.throws(() => new ChunkedDecoder().decode(enc.encode("zz\r\n")));
});
