import assert from "node:assert/strict";
import { headEnd, parseHead, requestBytes } from "../../../../services/platform/http1/head.ts";
import { MalformedAnswerError } from "../../../../services/platform/http1/errors.ts";

const enc = new TextEncoder();

Deno.test("requestBytes() writes the request line, host, headers, length and body", () => {
  const bytes = requestBytes("POST", "127.0.0.1:8080", "/v1/chat/completions?x=1", [[
    "content-type",
    "application/json",
  ]], enc.encode("{}"));
  assert.equal(
    new TextDecoder().decode(bytes),
    "POST /v1/chat/completions?x=1 HTTP/1.1\r\nhost: 127.0.0.1:8080\r\ncontent-type: application/json\r\n" +
      "content-length: 2\r\n\r\n{}",
  );
});

Deno.test("requestBytes() frames a stream body as chunked and writes no length for a request without one", () => {
  assert.equal(
    new TextDecoder().decode(requestBytes("POST", "h:1", "/up", [], "chunked")),
    "POST /up HTTP/1.1\r\nhost: h:1\r\ntransfer-encoding: chunked\r\n\r\n",
  );
  assert.equal(
    new TextDecoder().decode(
      requestBytes("GET", "h:1", "/v1/models", [["accept", "application/json"]], null),
    ),
    "GET /v1/models HTTP/1.1\r\nhost: h:1\r\naccept: application/json\r\n\r\n",
  );
});

Deno.test("headEnd() finds the blank line wherever the reads split it", () => {
  const head = enc.encode("HTTP/1.1 200 OK\r\na: 1\r\n\r\nbody");
  assert.equal(headEnd(head, head.length), head.length - 4);
  for (let filled = 0; filled < head.length - 4; filled++) assert.equal(headEnd(head, filled), -1);
  assert.equal(
    headEnd(head, head.length, head.length - 8),
    head.length - 4,
    "searching from the last read on",
  );
});

Deno.test("parseHead() reads the status, the headers and the version, and refuses what is not an answer", () => {
  const { status, headers, http11 } = parseHead(enc.encode("HTTP/1.0 404 Not Found\r\nX-A:  1 \r\nx-a: 2"));
  assert.deepEqual([status, headers.get("x-a"), http11], [404, "1, 2", false]);
  assert.throws(() => parseHead(enc.encode("SSH-2.0-OpenSSH")), MalformedAnswerError);
  assert.throws(() => parseHead(enc.encode("HTTP/1.1 200 OK\r\nbad name: x")), MalformedAnswerError);
});
