/**
 * Time for code that waits: the current time and one-shot timers, passed in
 * so a test can move time itself instead of sleeping.
 *
 * @module
 */

/** The current time and one-shot timers. */
export interface Clock {
  /** Milliseconds on a clock that never goes back (`performance.now()` for the real one). */
  now(): number;
  /** Calls `callback` once, `ms` milliseconds from now; the function returned cancels it. */
  timeout(ms: number, callback: () => void): () => void;
}

/**
 * The real clock: `performance.now()` and the runtime's timers.
 *
 * @example
 * ```ts
 * const cancel = systemClock.timeout(300_000, () => stopIdleServer());
 * cancel(); // a request came in
 * ```
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  timeout(ms, callback) {
    const id = setTimeout(callback, ms);
    return () => clearTimeout(id);
  },
};
