/**
 * Coalesces chat events for a few milliseconds: the first events after a
 * quiet spell go out at once (no added time to first token), and what
 * arrives while the window is open goes out together when it closes, so a
 * fast stream costs one write per window instead of one per chunk.
 *
 * @module
 */
import type { ChatEvent } from "../../lib/chat/types.ts";
import { pushEvent } from "./round_state.ts";

/**
 * A coalescing buffer in front of an event sink.
 *
 * @example
 * ```ts
 * const batcher = new EventBatcher(4, (events) => send(events));
 * batcher.push([{ type: "response", content: "Hi" }]); // sent now
 * batcher.push([{ type: "response", content: "!" }]);  // sent when the window closes
 * batcher.flush();                                     // or now
 * ```
 */
export class EventBatcher {
  readonly #windowMs: number;
  readonly #emit: (events: ChatEvent[]) => void;
  readonly #now: () => number;
  #pending: ChatEvent[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the last write went out; the window is open until `windowMs` after it. */
  #sentAt = -Infinity;

  /** `windowMs` of 0 sends every push at once. */
  constructor(
    windowMs: number,
    emit: (events: ChatEvent[]) => void,
    now: () => number = () => performance.now(),
  ) {
    this.#windowMs = windowMs;
    this.#emit = emit;
    this.#now = now;
  }

  /**
   * Sends `events` now when the window is closed; otherwise holds them until
   * it closes. A timer is armed only while something is held, so a paced
   * stream (a chunk every 10 ms) costs no wake-up beyond its own chunks.
   */
  push(events: ChatEvent[]): void {
    if (!events.length) return;
    if (this.#timer !== undefined) {
      for (const event of events) pushEvent(this.#pending, event);
      return;
    }
    const now = this.#now();
    const left = this.#sentAt + this.#windowMs - now;
    if (left <= 0) {
      this.#sentAt = now;
      this.#emit(events);
      return;
    }
    for (const event of events) pushEvent(this.#pending, event);
    this.#timer = setTimeout(this.#tick, left);
  }

  /** Sends what is held and closes the window. */
  flush(): void {
    this.#close();
    if (this.#pending.length) this.#emit(this.#take());
  }

  /** Drops what is held (the stream was stopped) and closes the window. */
  discard(): void {
    this.#close();
    this.#pending = [];
  }

  #close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #take(): ChatEvent[] {
    const events = this.#pending;
    this.#pending = [];
    return events;
  }

  #tick = (): void => {
    this.#timer = undefined;
    if (!this.#pending.length) return;
    this.#sentAt = this.#now();
    this.#emit(this.#take());
  };
}
