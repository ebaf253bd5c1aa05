/**
 * Reads a response body as text with one reused buffer and one streaming
 * decoder (no TextDecoderStream, no chunk per read), and hangs up for real
 * when asked: cancelling the reader ends a pending read and closes the
 * connection even when more data is already buffered.
 *
 * @module
 */

const BUFFER_BYTES = 64 * 1024;

/**
 * A text reader over a byte stream.
 *
 * @example
 * ```ts
 * const reader = new BodyReader(response.body!, signal);
 * for (let text; (text = await reader.read()) !== null;) handle(text);
 * ```
 */
export class BodyReader {
  readonly #byob: ReadableStreamBYOBReader | null;
  readonly #plain: ReadableStreamDefaultReader<Uint8Array> | null;
  readonly #decoder = new TextDecoder();
  readonly #signal?: AbortSignal;
  #buffer: ArrayBuffer | null = null;
  #cancelled = false;

  /** Aborting `signal` cancels the reader. */
  constructor(body: ReadableStream<Uint8Array>, signal?: AbortSignal) {
    let byob: ReadableStreamBYOBReader | null = null;
    try {
      byob = body.getReader({ mode: "byob" });
    } catch { /* not a byte stream: read its chunks */ }
    this.#byob = byob;
    this.#plain = byob ? null : body.getReader();
    this.#signal = signal;
    signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  /** The next decoded text, or null at the end (or once cancelled). */
  async read(): Promise<string | null> {
    if (this.#cancelled) return null;
    let value: Uint8Array | undefined;
    let done: boolean;
    if (this.#byob) {
      const view = new Uint8Array(this.#buffer ?? new ArrayBuffer(BUFFER_BYTES));
      this.#buffer = null;
      ({ value, done } = await this.#byob.read(view));
      if (value) this.#buffer = value.buffer as ArrayBuffer;
    } else {
      ({ value, done } = await this.#plain!.read());
    }
    if (done || this.#cancelled) {
      this.#release();
      return this.#cancelled ? null : this.#decoder.decode() || null;
    }
    return this.#decoder.decode(value, { stream: true });
  }

  /** Cancels the body: the connection is closed, a pending read ends. Never throws. */
  async cancel(): Promise<void> {
    if (this.#cancelled) return;
    this.#cancelled = true;
    this.#release();
    await (this.#byob ?? this.#plain)!.cancel().catch(() => {});
  }

  #release(): void {
    this.#signal?.removeEventListener("abort", this.#onAbort);
  }

  #onAbort = (): void => {
    this.cancel();
  };
}
