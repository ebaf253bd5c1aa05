/**
 * Transfer rate over a sliding window, for speed and ETA.
 *
 * @module
 */

/**
 * Measures bytes per second over the last few seconds.
 *
 * @example
 * ```ts
 * const meter = new RateMeter();
 * meter.sample(1_000_000);
 * meter.rate(); // bytes per second over the window
 * ```
 */
export class RateMeter {
  readonly #samples: { at: number; bytes: number }[] = [];
  readonly #windowMs: number;
  readonly #clock: () => number;

  /**
   * @param windowMs how far back the rate looks
   * @param clock milliseconds now (tests pass their own)
   */
  constructor(windowMs = 5000, clock: () => number = () => performance.now()) {
    this.#windowMs = windowMs;
    this.#clock = clock;
  }

  /** Records the total bytes transferred so far. */
  sample(bytes: number): void {
    const at = this.#clock();
    this.#samples.push({ at, bytes });
    while (this.#samples.length > 2 && at - this.#samples[1].at >= this.#windowMs) this.#samples.shift();
  }

  /** Bytes per second over the window; 0 until two samples exist. */
  rate(): number {
    const first = this.#samples[0];
    const last = this.#samples[this.#samples.length - 1];
    if (!first || last === first || last.at <= first.at) return 0;
    return Math.max(0, ((last.bytes - first.bytes) * 1000) / (last.at - first.at));
  }

  /** Forgets every sample (after a pause, the old rate means nothing). */
  reset(): void {
    this.#samples.length = 0;
  }
}
