/**
 * How an answer's body is delimited (chunked, a declared length, the end of
 * the connection, none at all for 204 and 304), and a decoder that removes
 * chunked transfer framing as bytes arrive. Pure: bytes in, payload out.
 *
 * @module
 */
import { MalformedAnswerError } from "./errors.ts";

const CR = 13;
const LF = 10;

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

  /**
   * Feeds bytes and returns how many of them belong to the body (all of
   * them until the last chunk ends); throws on framing a server would never send.
   */
  push(bytes: Uint8Array, onData: (data: Uint8Array) => void): number {
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
          else throw new MalformedAnswerError("Malformed chunk size");
          break;
        }
        case "ext":
          if (bytes[i++] === CR) this.#state = "size_lf";
          break;
        case "size_lf":
          if (bytes[i++] !== LF) throw new MalformedAnswerError("Malformed chunk size line");
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
          if (bytes[i++] !== CR) throw new MalformedAnswerError("Malformed chunk end");
          this.#state = "data_lf";
          break;
        case "data_lf":
          if (bytes[i++] !== LF) throw new MalformedAnswerError("Malformed chunk end");
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
    return i;
  }

  /** The payload bytes in `bytes`, copied out in one piece (empty when there are none). */
  decode(bytes: Uint8Array): Uint8Array {
    return copyOut((onData) => this.push(bytes, onData));
  }
}

/** The pieces `feed` hands to its callback, copied into one array (they may be views of a reused buffer). */
export function copyOut(feed: (onData: (data: Uint8Array) => void) => void): Uint8Array {
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
    if (status === 204 || status === 304) this.#left = 0;
    else if (chunked || length === null) this.#left = null;
    else if (/^\d+$/.test(length)) this.#left = Number(length);
    else throw new MalformedAnswerError(`Invalid content-length: ${length.slice(0, 40)}`);
  }

  /** Neither chunked nor sized: the body ends when the server closes the connection. */
  get untilClose(): boolean {
    return this.#chunked === null && this.#left === null;
  }

  /** The whole body has been read. */
  get complete(): boolean {
    return (this.#chunked?.done ?? false) || this.#left === 0;
  }

  /**
   * Feeds bytes read after the head, calling `onData` with views of the
   * payload in them; returns how many of the bytes belong to the body (fewer
   * than given when the body ended within them).
   */
  push(bytes: Uint8Array, onData: (payload: Uint8Array) => void): number {
    if (this.#chunked) return this.#chunked.push(bytes, onData);
    if (this.#left === null) {
      onData(bytes);
      return bytes.length;
    }
    const take = bytes.subarray(0, Math.min(bytes.length, this.#left));
    this.#left -= take.length;
    if (take.length) onData(take);
    return take.length;
  }

  /** The payload in `bytes`, copied out in one piece (empty when there is none). */
  decode(bytes: Uint8Array): Uint8Array {
    return copyOut((onData) => this.push(bytes, onData));
  }
}
