/**
 * An answer being read off its connection. Its body is read one socket read
 * at a time: what the kernel gathered since the last read arrives together,
 * so a fast stream costs one read per batch of frames rather than one per
 * frame (`fetch` hands each HTTP chunk to JavaScript on its own). Only the
 * transfer framing is removed; the payload bytes are never touched. The body
 * is read either as bytes ({@link Http1Answer.body}) or as text
 * ({@link Http1Answer.read}), not both.
 *
 * @module
 */
import { BodyFraming, copyOut } from "./framing.ts";
import { ClosedError } from "./errors.ts";
import { closeQuietly } from "./connect.ts";

/**
 * Bytes asked of the socket per read: a paced model stream never fills the
 * smallest, so a connection holds only that much; a read that fills its buffer
 * (an unpaced stream, a large answer) doubles it, up to the largest.
 */
export const READ_SIZES = { min: 4096, max: 32768 } as const;

/** The buffer for the next read: twice as large when the last read filled this one. */
export function nextReadBuffer(buffer: Uint8Array<ArrayBuffer>, filled: number): Uint8Array<ArrayBuffer> {
  if (filled < buffer.length || buffer.length >= READ_SIZES.max) return buffer;
  return new Uint8Array(Math.min(READ_SIZES.max, buffer.length * 2));
}

/** Why this side ended a connection's exchange. */
export type Ending = "abort" | "cancel" | "timeout" | "done" | "error";

/**
 * One connection for the life of one exchange: ended once, either handed
 * back to its pool (after a whole answer that allows it) or closed.
 */
export class Link {
  /** How the exchange ended on this side; null while it goes on. */
  endedBy: Ending | null = null;
  readonly #onEnd: () => void;

  constructor(
    readonly conn: Deno.Conn,
    readonly signal: AbortSignal | undefined,
    /** Takes the connection back for another request; null when it is closed after one. */
    readonly keep: ((conn: Deno.Conn) => void) | null,
    onEnd: () => void,
  ) {
    this.#onEnd = onEnd;
  }

  /** Closes the connection, once, noting why. */
  close(by: Ending): void {
    if (this.endedBy) return;
    this.endedBy = by;
    this.#onEnd();
    closeQuietly(this.conn);
  }

  /** Ends a complete exchange: back to the pool when `reusable`, closed otherwise. */
  finish(reusable: boolean): void {
    if (this.endedBy) return;
    if (!reusable || !this.keep) return this.close("done");
    this.endedBy = "done";
    this.#onEnd();
    this.keep(this.conn);
  }

  /** Whether this side ended it early (abort, cancel, timeout): reads then end quietly. */
  get stopped(): boolean {
    return this.endedBy === "abort" || this.endedBy === "cancel" || this.endedBy === "timeout";
  }
}

/** What an {@link Http1Answer} starts from: its head and the bytes read after it. */
export interface AnswerInit {
  link: Link;
  status: number;
  headers: Headers;
  framing: BodyFraming;
  /** Bytes of the body that came with the head's last read. */
  pending: Uint8Array | null;
  /** The buffer to read into. */
  buffer: Uint8Array<ArrayBuffer>;
  /** Whether the connection may serve another request once this body was read whole. */
  reusable: boolean;
}

/**
 * The status, headers and body of an answer.
 *
 * @example
 * ```ts
 * const answer = await client.request({ url, body });
 * for (let text; (text = await answer.read()) !== null;) handle(text);
 * // or: return new Response(answer.body, { status: answer.status });
 * ```
 */
export class Http1Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly #link: Link;
  readonly #framing: BodyFraming;
  readonly #reusable: boolean;
  #pending: Uint8Array | null;
  #buffer: Uint8Array<ArrayBuffer>;
  #text: TextDecoder | undefined;
  #body: ReadableStream<Uint8Array> | undefined;

  constructor(init: AnswerInit) {
    this.status = init.status;
    this.headers = init.headers;
    this.#link = init.link;
    this.#framing = init.framing;
    this.#reusable = init.reusable;
    this.#pending = init.pending;
    this.#buffer = init.buffer;
    if (this.#framing.complete && !this.#pending) this.#link.finish(this.#reusable);
  }

  /**
   * Reads once (the bytes left from the head first) and hands the payload in
   * them to `onData`, as views valid until the next call. Resolves false
   * once the body ended, or once this side stopped reading it.
   *
   * @throws {ClosedError} when the connection ends before the body does;
   *   {@link MalformedAnswerError} for broken chunk framing
   */
  async #next(onData: (payload: Uint8Array) => void): Promise<boolean> {
    const link = this.#link;
    if (link.endedBy) return false;
    let bytes: Uint8Array;
    let filled = false;
    if (this.#pending) {
      bytes = this.#pending;
      this.#pending = null;
    } else {
      let n: number | null;
      try {
        n = await link.conn.read(this.#buffer);
      } catch (error) {
        if (link.endedBy) return false;
        link.close("error");
        throw new ClosedError("mid_answer", { cause: error });
      }
      if (link.endedBy) return false;
      if (n === null) {
        // Without chunking or a length, the body ends with the connection.
        if (this.#framing.untilClose) {
          link.close("done");
          return false;
        }
        link.close("error");
        throw new ClosedError("mid_answer");
      }
      bytes = this.#buffer.subarray(0, n);
      filled = n === this.#buffer.length;
    }
    let used: number;
    try {
      used = this.#framing.push(bytes, onData);
    } catch (error) {
      link.close("error");
      throw error;
    }
    if (filled) this.#buffer = nextReadBuffer(this.#buffer, bytes.length);
    // Bytes past the body's end leave the connection out of step: it is closed, not kept.
    if (this.#framing.complete) link.finish(this.#reusable && used === bytes.length);
    return true;
  }

  /**
   * The next decoded text of the body, or null at its end — and once it was
   * cancelled or its request aborted.
   *
   * @throws {ClosedError} when the connection ends before the body does
   */
  async read(): Promise<string | null> {
    const text = this.#text ??= new TextDecoder();
    let out = "";
    const onData = (payload: Uint8Array) => out += text.decode(payload, { stream: true });
    try {
      while (await this.#next(onData)) if (out) return out;
    } catch (error) {
      if (this.#link.stopped) return null;
      throw error;
    }
    if (this.#link.stopped) return null;
    return out + text.decode() || null;
  }

  /** The rest of the body as text. */
  async text(): Promise<string> {
    let all = "";
    for (let part; (part = await this.read()) !== null;) all += part;
    return all;
  }

  /**
   * The body as a stream of bytes, one piece per socket read. Aborting the
   * request errors it with the signal's reason; cancelling it closes the
   * connection.
   */
  get body(): ReadableStream<Uint8Array> {
    return this.#body ??= new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        const parts: Uint8Array[] = [];
        const collect = (payload: Uint8Array) => {
          parts.push(payload);
        };
        for (;;) {
          const more = await this.#next(collect);
          if (this.#link.endedBy === "abort") throw this.#link.signal?.reason;
          const ended = !more || this.#link.endedBy === "done";
          // What is handed on is copied out of the read buffer, which the next read reuses.
          if (parts.length) controller.enqueue(copyOut((onData) => parts.forEach((p) => onData(p))));
          if (ended) return controller.close();
          if (parts.length) return;
        }
      },
      cancel: () => this.cancel(),
    }, { highWaterMark: 0 });
  }

  /** Closes the connection; a pending read ends (with null for {@link read}). Never throws. */
  cancel(): void {
    this.#link.close("cancel");
  }
}
