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

/**
 * The bytes a run has fetched over the network, from each file's progress
 * (its bytes on disk and checked). A resumed file first re-checks what an
 * earlier run left, fast and without fetching it: those bytes do not count,
 * so a speed measured from this total starts at the resume. A file that is
 * truncated to start over counts from zero again.
 *
 * @example
 * ```ts
 * const fetched = new FetchedBytes();
 * fetched.begin("model.safetensors", 500_000_000); // half of it was on disk
 * fetched.progress("model.safetensors", 500_000_000); // re-checked: nothing fetched yet
 * fetched.progress("model.safetensors", 510_000_000);
 * fetched.total; // 10_000_000
 * ```
 */
export class FetchedBytes {
  /** Per file in progress: bytes on disk when its fetch began (zero after a restart), and its progress. */
  readonly #files = new Map<string, { base: number; at: number }>();
  /** Bytes fetched for files that ended or started over. */
  #settled = 0;

  /** A file's fetch begins with `onDisk` bytes already there. */
  begin(path: string, onDisk: number): void {
    this.#files.set(path, { base: Math.max(0, onDisk), at: 0 });
  }

  /** A file's progress; a lower value than before means it was truncated and starts over. */
  progress(path: string, bytes: number): void {
    const file = this.#files.get(path) ?? { base: 0, at: 0 };
    if (bytes < file.at) {
      this.#settled += this.#fetched(file);
      file.base = 0;
    }
    file.at = bytes;
    this.#files.set(path, file);
  }

  /** A file is complete: what it fetched stays in the total. */
  end(path: string): void {
    const file = this.#files.get(path);
    if (file) this.#settled += this.#fetched(file);
    this.#files.delete(path);
  }

  /** Bytes fetched so far in this run. */
  get total(): number {
    let total = this.#settled;
    for (const file of this.#files.values()) total += this.#fetched(file);
    return total;
  }

  #fetched(file: { base: number; at: number }): number {
    return Math.max(0, file.at - file.base);
  }
}
