/**
 * One idle timer for a stream that is touched on every read: touching only
 * records the time, and the single timer re-arms itself for the rest of the
 * period when it finds the stream was active, instead of a clearTimeout and
 * setTimeout pair per read.
 *
 * @module
 */

/**
 * Calls `onIdle` once nothing touched it for `timeoutMs`.
 *
 * @example
 * ```ts
 * const idle = new IdleTimer(300_000, () => controller.abort());
 * idle.touch(); // on every read
 * idle.stop();  // when the stream ends
 * ```
 */
export class IdleTimer {
  readonly #timeoutMs: number;
  readonly #onIdle: () => void;
  readonly #now: () => number;
  #last: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #fired = false;
  #stopped = false;

  constructor(timeoutMs: number, onIdle: () => void, now: () => number = () => performance.now()) {
    this.#timeoutMs = timeoutMs;
    this.#onIdle = onIdle;
    this.#now = now;
    this.#last = now();
  }

  /** Whether the timer has fired. */
  get fired(): boolean {
    return this.#fired;
  }

  /** Starts the period anew (and the timer, on first use). */
  touch(): void {
    this.#last = this.#now();
    if (this.#timer === undefined && !this.#stopped) this.#arm(this.#timeoutMs);
  }

  /** Stops the timer for good. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#stopped = true;
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(this.#check, ms);
  }

  #check = (): void => {
    const left = this.#last + this.#timeoutMs - this.#now();
    if (left > 0) return this.#arm(left);
    this.#timer = undefined;
    this.#fired = this.#stopped = true;
    this.#onIdle();
  };
}
