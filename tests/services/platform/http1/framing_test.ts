import assert from "node:assert/strict";
import { BodyFraming, ChunkedDecoder } from "../../../../services/platform/http1/framing.ts";
import { MalformedAnswerError } from "../../../../services/platform/http1/errors.ts";

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

Deno.test("BodyFraming ends a sized body at its length, and hands on none of what follows", () => {
  const framing = new BodyFraming(200, new Headers({ "content-length": "5" }));
  assert.equal(framing.untilClose, false);
  assert.equal(new TextDecoder().decode(framing.decode(enc.encode("abc"))), "abc");
  assert.equal(framing.complete, false);
  assert.equal(new TextDecoder().decode(framing.decode(enc.encode("deXYZ"))), "de");
  assert.equal(framing.complete, true);
});

Deno.test("BodyFraming de-chunks a chunked body and sees its end; a 204 is complete at once", () => {
  const chunked = new BodyFraming(
    200,
    new Headers({ "transfer-encoding": "chunked", "content-length": "1" }),
  );
  const parts: string[] = [];
  chunked.push(
    enc.encode("3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"),
    (d) => parts.push(new TextDecoder().decode(d)),
  );
  assert.deepEqual(parts, ["abc", "de"]);
  assert.equal(chunked.complete, true);
  const empty = new BodyFraming(204, new Headers({ "content-length": "10" }));
  assert.equal(empty.complete, true);
  assert.equal(empty.decode(enc.encode("stray")).length, 0);
});

Deno.test("BodyFraming without a length or chunking reads until the connection closes", () => {
  const framing = new BodyFraming(200, new Headers());
  assert.equal(framing.untilClose, true);
  assert.equal(new TextDecoder().decode(framing.decode(enc.encode("all of it"))), "all of it");
  assert.equal(framing.complete, false);
});

Deno.test("BodyFraming says how much of a read belongs to the body, and refuses a length that is not a number", () => {
  const sized = new BodyFraming(200, new Headers({ "content-length": "3" }));
  assert.equal(sized.push(enc.encode("abcdef"), () => {}), 3);
  const chunked = new BodyFraming(200, new Headers({ "transfer-encoding": "chunked" }));
  assert.equal(chunked.push(enc.encode("1\r\na\r\n0\r\n\r\nHTTP/1.1"), () => {}), 11);
  assert.throws(() => new BodyFraming(200, new Headers({ "content-length": "12abc" })), MalformedAnswerError);
});
