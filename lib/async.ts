/**
 * Small helpers for asynchronous code.
 *
 * @module
 */

/** Options of {@link delay}. */
export interface DelayOptions {
  /** Aborting it ends the wait at once, rejecting with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Resolves after `ms` milliseconds, or rejects with `signal.reason` as soon as
 * `signal` aborts (at once when it already has). The same contract as Deno
 * std's `delay`, which is published only on JSR.
 *
 * @example
 * ```ts
 * await delay(500);
 * await delay(30_000, { signal }); // ends early when the job is paused
 * ```
 */
export function delay(ms: number, options: DelayOptions = {}): Promise<void> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const abort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", abort, { once: true });
  });
}
