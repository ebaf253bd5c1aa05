/**
 * The heads of HTTP/1.1 on a raw socket: a request's bytes, where an answer's
 * head ends, and what it says. Pure: bytes in, values out.
 *
 * @module
 */
import { MalformedAnswerError } from "./errors.ts";

const CR = 13;
const LF = 10;
const encoder = new TextEncoder();

/**
 * The index just past the head's blank line (`\r\n\r\n`) in the first
 * `length` bytes, or -1 while it has not arrived. `from` is the first index
 * the blank line may start at (bytes before it were searched already).
 */
export function headEnd(bytes: Uint8Array, length: number, from = 0): number {
  for (let i = Math.max(3, from + 3); i < length; i++) {
    if (bytes[i] === LF && bytes[i - 1] === CR && bytes[i - 2] === LF && bytes[i - 3] === CR) return i + 1;
  }
  return -1;
}

/** What an answer's head says. */
export interface AnswerHead {
  status: number;
  headers: Headers;
  /** HTTP/1.1 (an HTTP/1.0 answer never keeps its connection). */
  http11: boolean;
}

/**
 * An answer's status line and headers (the bytes before the blank line).
 *
 * @throws {MalformedAnswerError} when the bytes are not an HTTP/1.x answer head
 */
export function parseHead(head: Uint8Array): AnswerHead {
  const [statusLine, ...lines] = new TextDecoder("latin1").decode(head).split("\r\n");
  const match = statusLine.match(/^HTTP\/1\.([01]) (\d{3})/);
  if (!match) throw new MalformedAnswerError(`Not an HTTP answer: ${statusLine.slice(0, 80)}`);
  const headers = new Headers();
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    try {
      headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    } catch {
      throw new MalformedAnswerError(`Not a valid header line: ${line.slice(0, 80)}`);
    }
  }
  return { status: Number(match[2]), headers, http11: match[1] === "1" };
}

/**
 * The bytes of a request for `target` (path and query) on `host`: request
 * line, `host`, `headers`, then the body's framing — `content-length` and
 * the body itself for bytes, `transfer-encoding: chunked` for a body that
 * follows in chunks, nothing for none — and the blank line.
 *
 * @example
 * ```ts
 * await conn.write(requestBytes("POST", "127.0.0.1:8080", "/v1/chat/completions", [["content-type", "application/json"]], body));
 * ```
 */
export function requestBytes(
  method: string,
  host: string,
  target: string,
  headers: Iterable<[string, string]>,
  body: Uint8Array | "chunked" | null,
): Uint8Array {
  const lines = [`${method} ${target} HTTP/1.1`, `host: ${host}`];
  for (const [name, value] of headers) lines.push(`${name}: ${value}`);
  if (body === "chunked") lines.push("transfer-encoding: chunked");
  else if (body) lines.push(`content-length: ${body.length}`);
  lines.push("", "");
  const head = encoder.encode(lines.join("\r\n"));
  if (!(body instanceof Uint8Array) || body.length === 0) return head;
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}
