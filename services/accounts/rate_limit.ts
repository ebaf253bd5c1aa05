/**
 * Counts failures (or attempts) per key in a sliding window, for sign-in and
 * registration throttling.
 *
 * @module
 */

/** Options of {@link FailureLimiter}. */
export interface FailureLimiterOptions {
  /** Failures allowed per window. @default 10 */
  limit?: number;
  /** The window in milliseconds. @default 60000 */
  windowMs?: number;
  /** The clock. @default Date.now */
  now?: () => number;
}

/**
 * Remembers recent failures per key; {@link retryAfter} says how long a key
 * must wait once it has reached the limit.
 *
 * @example
 * ```ts
 * const limiter = new FailureLimiter({ limit: 10 });
 * limiter.fail("ip:127.0.0.1");
 * limiter.retryAfter("ip:127.0.0.1"); // 0 until the 10th failure
 * ```
 */
export class FailureLimiter {
  readonly #failures = new Map<string, number[]>();
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;

  constructor(options: FailureLimiterOptions = {}) {
    this.#limit = options.limit ?? 10;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  #recent(key: string): number[] {
    const cutoff = this.#now() - this.#windowMs;
    const list = (this.#failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length) this.#failures.set(key, list);
    else this.#failures.delete(key);
    return list;
  }

  /** Records a failure. */
  fail(key: string): void {
    const list = this.#recent(key);
    list.push(this.#now());
    this.#failures.set(key, list);
    if (this.#failures.size > 10_000) this.#prune();
  }

  /** How many failures of `key` are in the window now. */
  failures(key: string): number {
    return this.#recent(key).length;
  }

  /** When the last failure of `key` in the window happened, or null. */
  lastFailure(key: string): number | null {
    return this.#recent(key).at(-1) ?? null;
  }

  /** Seconds to wait before trying again, or 0 when allowed. */
  retryAfter(key: string): number {
    const list = this.#recent(key);
    if (list.length < this.#limit) return 0;
    const oldest = list[list.length - this.#limit];
    return Math.max(
      1,
      Math.ceil((oldest + this.#windowMs - this.#now()) / 1000),
    );
  }

  /** Forgets a key's failures (after a successful login). */
  reset(key: string): void {
    this.#failures.delete(key);
  }

  #prune(): void {
    for (const key of [...this.#failures.keys()]) this.#recent(key);
  }
}
