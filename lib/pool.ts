/**
 * Small concurrency helpers: a counting semaphore and a bounded parallel map.
 *
 * @module
 */

/**
 * A counting semaphore: at most `size` holders at once, the rest wait in order.
 *
 * @example
 * ```ts
 * const slots = new Semaphore(2);
 * const release = await slots.acquire();
 * try { await work(); } finally { release(); }
 * ```
 */
export class Semaphore {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#free = Math.max(1, size);
  }

  /** Waits for a slot (or rejects when `signal` aborts first); returns its release function. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    };
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve(release);
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener("abort", abort);
        resolve(release);
      };
      const abort = () => {
        const at = this.#waiting.indexOf(grant);
        if (at >= 0) this.#waiting.splice(at, 1);
        reject(signal!.reason);
      };
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener("abort", abort, { once: true });
      this.#waiting.push(grant);
    });
  }
}

/**
 * Maps `items` through `fn` with at most `limit` calls in flight; results keep the input order.
 *
 * @example
 * ```ts
 * const sizes = await mapLimit(paths, 4, (p) => Deno.stat(p).then((s) => s.size));
 * ```
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
