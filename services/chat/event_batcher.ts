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
  #pending: ChatEvent[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `windowMs` of 0 sends every push at once. */
  constructor(windowMs: number, emit: (events: ChatEvent[]) => void) {
    this.#windowMs = windowMs;
    this.#emit = emit;
  }

  /** Sends `events` now when the window is closed; otherwise holds them until it closes. */
  push(events: ChatEvent[]): void {
    if (!events.length) return;
    if (this.#timer === undefined) {
      this.#emit(events);
      if (this.#windowMs > 0) this.#timer = setTimeout(this.#tick, this.#windowMs);
      return;
    }
    for (const event of events) pushEvent(this.#pending, event);
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
    if (!this.#pending.length) {
      this.#timer = undefined;
      return;
    }
    this.#timer = setTimeout(this.#tick, this.#windowMs);
    this.#emit(this.#take());
  };
}
