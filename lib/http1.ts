/**
 * The pure parts of reading an HTTP/1.1 answer off a socket, shared by the
 * chat's and the gateway's raw clients: where the head ends, what it says,
 * and a decoder that removes chunked transfer framing as bytes arrive.
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
    const parts: Uint8Array[] = [];
    this.push(bytes, (data) => parts.push(data));
    if (parts.length === 1) return parts[0].slice();
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  }
}
