/**
 * The in-process event bus: services publish typed events, `GET /api/events`
 * streams them to browsers. Recent events are kept so a reconnecting client
 * gets what it missed.
 *
 * @module
 */
import type { EventMap, EventType } from "../lib/event_types.ts";

/** Who may receive an event. */
export type Audience = "all" | "admin";

/**
 * One published event. `BusEvent` alone is the union of every type, so testing
 * `event.type` narrows `event.data` to that type's payload.
 */
export type BusEvent<K extends EventType = EventType> = K extends EventType ? {
    /** Increasing id, sent as the SSE `id` so clients can resume. */
    id: number;
    type: K;
    data: EventMap[K];
    audience: Audience;
  }
  : never;

/** Options of {@link EventBus}. */
export interface EventBusOptions {
  /** How many recent events to keep for reconnecting clients. @default 500 */
  historySize?: number;
}

/** A listener receives every event in order. */
export type Listener = (event: BusEvent) => void;

/** A handler of one event type receives its payload, and the event itself. */
export type Handler<K extends EventType> = (data: EventMap[K], event: BusEvent<K>) => void;

/**
 * A synchronous publish/subscribe bus with a short replay history.
 *
 * @example
 * ```ts
 * const bus = new EventBus();
 * const stop = bus.subscribe((e) => console.log(e.type));
 * const stopPending = bus.on("users.pending", ({ count }) => console.log(count));
 * bus.publish("users.pending", { count: 2 }, { audience: "admin" });
 * stop();
 * stopPending();
 * ```
 */
export class EventBus {
  /** Changes whenever the manager restarts; clients use it to detect a restart. */
  readonly bootId: string = crypto.randomUUID();
  readonly #history: BusEvent[] = [];
  readonly #listeners = new Set<Listener>();
  readonly #clients = new Set<Listener>();
  readonly #historySize: number;
  #nextId = 1;

  constructor(options: EventBusOptions = {}) {
    this.#historySize = options.historySize ?? 500;
  }

  /** Publishes an event to every subscriber. A failing listener does not stop the others. */
  publish<K extends EventType>(
    type: K,
    data: EventMap[K],
    options: { audience?: Audience } = {},
  ): BusEvent<K> {
    // TypeScript cannot see that a literal of a generic K is the K member of the union.
    const event = { id: this.#nextId++, type, data, audience: options.audience ?? "all" } as BusEvent<K>;
    this.#history.push(event);
    if (this.#history.length > this.#historySize) this.#history.shift();
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; the bus must keep delivering.
      }
    }
    return event;
  }

  /** Adds a listener (`client: true` for a connected browser); returns the function that removes it. */
  subscribe(listener: Listener, options: { client?: boolean } = {}): () => void {
    this.#listeners.add(listener);
    if (options.client) this.#clients.add(listener);
    return () => {
      this.#listeners.delete(listener);
      this.#clients.delete(listener);
    };
  }

  /**
   * Calls `handler` with the payload of every event of `type`; returns the
   * function that removes it.
   *
   * @example
   * ```ts
   * const stop = bus.on("download.update", (view) => console.log(view.progress));
   * ```
   */
  on<K extends EventType>(type: K, handler: Handler<K>): () => void {
    return this.subscribe((event) => {
      if (event.type === type) handler(event.data as EventMap[K], event as BusEvent<K>);
    });
  }

  /**
   * The number of connected browsers (subscriptions made with `client: true`),
   * so periodic work that only feeds open pages can idle when there are none.
   */
  get clientCount(): number {
    return this.#clients.size;
  }

  /** The number of current listeners. */
  get listenerCount(): number {
    return this.#listeners.size;
  }

  /**
   * The events after `lastId`, or `null` when some of them are no longer kept
   * (the client must then refetch its state).
   */
  since(lastId: number): BusEvent[] | null {
    if (lastId >= this.#nextId) return null;
    const first = this.#history[0];
    if (first === undefined) return lastId === this.#nextId - 1 ? [] : null;
    if (lastId < first.id - 1) return null;
    return this.#history.filter((e) => e.id > lastId);
  }
}
