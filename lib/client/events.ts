/**
 * One shared `EventSource` per page for `/api/events`; islands subscribe to
 * event types through {@link onEvent} or the {@link useEvent} hook.
 *
 * @module
 */
import { signal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { EventMap, EventType } from "../event_types.ts";

/** Whether the live connection is open. */
export const connected = signal(false);

type Handler = (data: unknown) => void;

let source: EventSource | null = null;
const handlers = new Map<string, Set<Handler>>();

function listen(type: string): void {
  source!.addEventListener(type, (event) => {
    let data: unknown;
    try {
      data = JSON.parse((event as MessageEvent).data);
    } catch {
      return;
    }
    for (const handler of handlers.get(type) ?? []) handler(data);
  });
}

function ensureSource(): void {
  if (source || typeof EventSource === "undefined") return;
  source = new EventSource("/api/events");
  source.onopen = () => connected.value = true;
  source.onerror = () => connected.value = false;
  for (const type of handlers.keys()) listen(type);
}

/**
 * Calls `handler` with the data of every `type` event; returns an unsubscribe function.
 *
 * @example
 * ```ts
 * const stop = onEvent("users.pending", ({ count }) => badge.value = count);
 * ```
 */
export function onEvent<K extends EventType>(
  type: K,
  handler: (data: EventMap[K]) => void,
): () => void {
  let set = handlers.get(type);
  if (!set) {
    set = new Set();
    handlers.set(type, set);
    if (source) listen(type);
  }
  set.add(handler as Handler);
  ensureSource();
  return () => set.delete(handler as Handler);
}

/** Subscribes a component to an event type for as long as it is mounted. */
export function useEvent<K extends EventType>(
  type: K,
  handler: (data: EventMap[K]) => void,
): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => onEvent(type, (data) => latest.current(data)), [type]);
}
