/**
 * A clock for "nothing happened for too long": armed when the manager starts
 * waiting for a client (to read a chunk handed to it, to send the next piece
 * of a body or the next request), disarmed when the client does it. Armed
 * for `ms` without a disarm, it fires once.
 *
 * One timer per watchdog, re-armed at most once per period rather than on
 * every arm, so a stream pays a clock read per chunk and nothing more.
 *
 * @module
 */

/**
 * Calls `onExpire` once when it stays armed for `ms`.
 *
 * @example
 * ```ts
 * const stall = new Watchdog(60_000, () => controller.error(new ClientStalled(60)));
 * controller.enqueue(chunk);
 * stall.arm();     // in pull(): stall.disarm()
 * stall.stop();    // when the stream ends
 * ```
 */
export class Watchdog {
  readonly #ms: number;
  readonly #onExpire: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When it was armed; 0 while disarmed. */
  #since = 0;
  #stopped = false;

  /** @param ms how long it may stay armed; 0 or Infinity never fires */
  constructor(ms: number, onExpire: () => void) {
    this.#ms = ms;
    this.#onExpire = onExpire;
    if (!(ms > 0 && ms < Infinity)) this.#stopped = true;
  }

  /** Starts waiting (an earlier arm without a disarm keeps its start). */
  arm(): void {
    if (this.#stopped || this.#since !== 0) return;
    this.#since = Date.now();
    if (this.#timer === undefined) this.#schedule(this.#ms);
  }

  /** What was waited for happened. */
  disarm(): void {
    this.#since = 0;
  }

  /** Stops for good. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(ms: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#stopped || this.#since === 0) return;
      const waited = Date.now() - this.#since;
      if (waited < this.#ms) return this.#schedule(this.#ms - waited);
      this.stop();
      this.#onExpire();
    }, ms);
  }
}

/** The error a stream ends with when its client stopped reading (its connection is closed with it). */
export class ClientStalled extends Error {
  /** @param why how long the client read nothing (ms), or what else it failed to keep up with */
  constructor(why: number | string) {
    super(
      `The client ${
        typeof why === "number" ? `read nothing for ${Math.round(why / 1000)} s` : why
      }: its stream and connection were closed`,
    );
    this.name = "ClientStalled";
    // Deno logs the error a response body ends with: one line says it all.
    this.stack = `${this.name}: ${this.message}`;
  }
}
