/**
 * The manager's queue in front of one profile's server: requests waiting for
 * it to start or for a free slot, each with its own deadline and abort
 * signal. It keeps the waiters; the state machine decides when to let them in.
 *
 * @module
 */
import { AppError } from "../../lib/errors.ts";

/** A waiting request. */
export interface Waiter {
  /** `performance.now()` at arrival. */
  since: number;
  /** It arrived while the server was not running: it waits for a start. */
  cold: boolean;
  resolve(): void;
  reject(error: unknown): void;
}

interface Entry extends Waiter {
  timer: ReturnType<typeof setTimeout>;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** Seconds a client is told to wait after a full queue. */
export const QUEUE_FULL_RETRY_AFTER = 2;
/** Seconds a client is told to wait after a wait that timed out. */
export const QUEUE_TIMEOUT_RETRY_AFTER = 5;

/** The error of a full queue: 429 with `Retry-After`. */
export function queueFullError(name: string, size: number): AppError {
  return new AppError(
    "rate_limited",
    `The queue of "${name}" is full (${size} waiting): try again shortly`,
    { reason: "queue_full", retryAfter: QUEUE_FULL_RETRY_AFTER },
  );
}

/**
 * The queue of one server.
 *
 * @example
 * ```ts
 * const queue = new Admission();
 * const admitted = queue.wait({ timeoutMs: 300_000, cold: true, onLeave, onTimeout });
 * queue.admit(1); // resolves `admitted`
 * ```
 */
export class Admission {
  #entries: Entry[] = [];

  /** Requests waiting now. */
  get size(): number {
    return this.#entries.length;
  }

  /**
   * Waits to be admitted: resolves with the waiter once {@link admit} lets it
   * in; rejects with `timeoutError()` after `timeoutMs`, with the signal's
   * reason on abort, or with what {@link rejectAll} passes. `onLeave` runs
   * when it leaves the queue without being admitted by timeout or abort.
   */
  wait(options: {
    timeoutMs: number;
    cold: boolean;
    signal?: AbortSignal;
    timeoutError: () => unknown;
    onLeave: () => void;
  }): Promise<Waiter> {
    return new Promise<Waiter>((resolve, reject) => {
      const leave = (error: unknown) => {
        if (!this.#remove(entry)) return;
        options.onLeave();
        reject(error);
      };
      const entry: Entry = {
        since: performance.now(),
        cold: options.cold,
        resolve: () => resolve(entry),
        reject,
        timer: setTimeout(() => leave(options.timeoutError()), options.timeoutMs),
        signal: options.signal,
      };
      if (options.signal) {
        entry.onAbort = () => leave(options.signal!.reason);
        options.signal.addEventListener("abort", entry.onAbort, { once: true });
      }
      this.#entries.push(entry);
    });
  }

  #remove(entry: Entry): boolean {
    const i = this.#entries.indexOf(entry);
    if (i < 0) return false;
    this.#entries.splice(i, 1);
    clearTimeout(entry.timer);
    if (entry.onAbort) entry.signal?.removeEventListener("abort", entry.onAbort);
    return true;
  }

  /** Lets the first `count` waiters in, in arrival order. */
  admit(count: number): void {
    for (const entry of this.#entries.slice(0, count)) {
      this.#remove(entry);
      entry.resolve();
    }
  }

  /** Fails every waiter with `error`. */
  rejectAll(error: unknown): void {
    for (const entry of [...this.#entries]) {
      this.#remove(entry);
      entry.reject(error);
    }
  }
}
