/**
 * The pure parts of HTTP/1.1 on a raw socket, shared by the chat's and the
 * gateway's clients: a POST's bytes, where an answer's head ends, what it
 * says, how its body is delimited, and a decoder that removes chunked
 * transfer framing as bytes arrive.
 *
 * @module
 */

const CR = 13;
const LF = 10;

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

/** An answer's status line and headers (the bytes before the blank line). */
export function parseHead(head: Uint8Array): { status: number; headers: Headers; http11: boolean } {
  const [statusLine, ...lines] = new TextDecoder("latin1").decode(head).split("\r\n");
  const match = statusLine.match(/^HTTP\/1\.([01]) (\d{3})/);
  if (!match) throw new Error(`Not an HTTP answer: ${statusLine.slice(0, 80)}`);
  const headers = new Headers();
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return { status: Number(match[2]), headers, http11: match[1] === "1" };
}

/**
 * De-chunks `Transfer-Encoding: chunked` bytes as they arrive, calling
 * `onData` with views of the data; {@link done} once the last chunk came.
 */
export class ChunkedDecoder {
  #state: "size" | "ext" | "size_lf" | "data" | "data_cr" | "data_lf" | "trailer" = "size";
  #size = 0;
  #left = 0;
  #sawDigit = false;
  #trailerLine = 0;
  /** The terminating zero-size chunk was read. */
  done = false;

  /** Feeds bytes; throws on framing a server would never send. */
  push(bytes: Uint8Array, onData: (data: Uint8Array) => void): void {
    let i = 0;
    const n = bytes.length;
    while (i < n && !this.done) {
      switch (this.#state) {
        case "size": {
          const c = bytes[i++];
          const digit = c >= 48 && c <= 57
            ? c - 48
            : c >= 97 && c <= 102
            ? c - 87
            : c >= 65 && c <= 70
            ? c - 55
            : -1;
          if (digit >= 0) {
            this.#size = this.#size * 16 + digit;
            this.#sawDigit = true;
          } else if (c === CR && this.#sawDigit) this.#state = "size_lf";
          else if ((c === 59 || c === 32 || c === 9) && this.#sawDigit) this.#state = "ext";
          else throw new Error("Malformed chunk size");
          break;
        }
        case "ext":
          if (bytes[i++] === CR) this.#state = "size_lf";
          break;
        case "size_lf":
          if (bytes[i++] !== LF) throw new Error("Malformed chunk size line");
          if (this.#size === 0) {
            this.#state = "trailer";
            this.#trailerLine = 0;
          } else {
            this.#left = this.#size;
            this.#state = "data";
          }
          this.#size = 0;
          this.#sawDigit = false;
          break;
        case "data": {
          const take = Math.min(this.#left, n - i);
          onData(bytes.subarray(i, i + take));
          i += take;
          this.#left -= take;
          if (this.#left === 0) this.#state = "data_cr";
          break;
        }
        case "data_cr":
          if (bytes[i++] !== CR) throw new Error("Malformed chunk end");
          this.#state = "data_lf";
          break;
        case "data_lf":
          if (bytes[i++] !== LF) throw new Error("Malformed chunk end");
          this.#state = "size";
          break;
        case "trailer": {
          // Trailer lines until an empty one; each ends with CRLF.
          const c = bytes[i++];
          if (c === LF) {
            if (this.#trailerLine === 0) this.done = true;
            this.#trailerLine = 0;
          } else if (c !== CR) this.#trailerLine++;
          break;
        }
      }
    }
  }

  /** The payload bytes in `bytes`, copied out in one piece (empty when there are none). */
  decode(bytes: Uint8Array): Uint8Array {
    return copyOut((onData) => this.push(bytes, onData));
  }
}

const encoder = new TextEncoder();

/** The pieces `feed` hands to its callback, copied into one array. */
function copyOut(feed: (onData: (data: Uint8Array) => void) => void): Uint8Array {
  const parts: Uint8Array[] = [];
  feed((data) => parts.push(data));
  if (parts.length === 1) return parts[0].slice();
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * The bytes of a POST of `body` to `target` (path and query) on `host`:
 * request line, `host`, `headers`, `content-length`, a blank line, the body.
 *
 * @example
 * ```ts
 * await conn.write(postBytes("127.0.0.1:8080", "/v1/chat/completions", [["content-type", "application/json"]], body));
 * ```
 */
export function postBytes(
  host: string,
  target: string,
  headers: Iterable<[string, string]>,
  body: Uint8Array,
): Uint8Array {
  const lines = [`POST ${target} HTTP/1.1`, `host: ${host}`];
  for (const [name, value] of headers) lines.push(`${name}: ${value}`);
  lines.push(`content-length: ${body.length}`, "", "");
  const head = encoder.encode(lines.join("\r\n"));
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

/**
 * How an answer's body is delimited — chunked, a declared length, or the end
 * of the connection — and its payload as raw bytes arrive.
 *
 * @example
 * ```ts
 * const framing = new BodyFraming(status, headers);
 * framing.push(bytesRead, (payload) => handOn(payload));
 * if (framing.complete) keepConnection();
 * ```
 */
export class BodyFraming {
  readonly #chunked: ChunkedDecoder | null;
  #left: number | null;

  constructor(status: number, headers: Headers) {
    const chunked = /\bchunked\b/i.test(headers.get("transfer-encoding") ?? "");
    this.#chunked = chunked ? new ChunkedDecoder() : null;
    const length = headers.get("content-length");
    // A 204 or 304 never has a body, whatever its head says.
    this.#left = status === 204 || status === 304 ? 0 : chunked || length === null ? null : Number(length);
  }

  /** Neither chunked nor sized: the body ends when the server closes the connection. */
  get untilClose(): boolean {
    return this.#chunked === null && this.#left === null;
  }

  /** The whole body has been read. */
  get complete(): boolean {
    return (this.#chunked?.done ?? false) || this.#left === 0;
  }

  /** Feeds bytes read after the head, calling `onData` with views of the payload in them. */
  push(bytes: Uint8Array, onData: (payload: Uint8Array) => void): void {
    if (this.#chunked) return this.#chunked.push(bytes, onData);
    if (this.#left === null) return onData(bytes);
    const take = bytes.subarray(0, Math.min(bytes.length, this.#left));
    this.#left -= take.length;
    if (take.length) onData(take);
  }

  /** The payload in `bytes`, copied out in one piece (empty when there is none). */
  decode(bytes: Uint8Array): Uint8Array {
    return copyOut((onData) => this.push(bytes, onData));
  }
}
