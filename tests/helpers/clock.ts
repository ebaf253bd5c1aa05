/**
 * A clock that moves only when the test says: timers fire during
 * {@link ManualClock.advance}, in the order they fall due, so a test of a
 * timeout neither sleeps nor depends on the machine's load.
 *
 * @module
 */
import type { Clock } from "../../lib/clock.ts";

interface Timer {
  at: number;
  callback: () => void;
}

/**
 * A {@link Clock} moved by hand.
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * clock.timeout(1000, () => fired = true);
 * clock.advance(999); // nothing yet
 * clock.advance(1);   // fired
 * ```
 */
export class ManualClock implements Clock {
  #now: number;
  #next = 0;
  readonly #timers = new Map<number, Timer>();

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  timeout(ms: number, callback: () => void): () => void {
    const id = this.#next++;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), callback });
    return () => this.#timers.delete(id);
  }

  /** Timers set and not yet fired or cancelled. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time on by `ms`, firing each timer that falls due (also those set meanwhile), earliest first. */
  advance(ms: number): void {
    const end = this.#now + ms;
    while (true) {
      let due: [number, Timer] | undefined;
      for (const entry of this.#timers) {
        if (entry[1].at <= end && (!due || entry[1].at < due[1].at)) due = entry;
      }
      if (!due) break;
      this.#timers.delete(due[0]);
      this.#now = due[1].at;
      due[1].callback();
    }
    this.#now = end;
  }
}
