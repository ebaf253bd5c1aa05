/**
 * A list an island shows and acts on: the items (from the page, then from
 * the API), whether an action is running, a refetch, actions that end in a
 * toast, and a live event from `/api/events` that keeps the list current.
 *
 * @module
 */
import { type Signal, useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { EventMap, EventType } from "../event_types.ts";
import { api, errorMessage } from "./api.ts";
import { onEvent } from "./events.ts";
import { type ItemKey, markPending } from "./items.ts";
import { toast } from "./toast.ts";

/** Options of {@link useCollection}. */
export interface CollectionOptions<T, K extends EventType> {
  /** The API path that lists the items. */
  url: string;
  /** The items rendered with the page. */
  initial: T[];
  /** An item's key. @default (item) => item.id */
  keyOf?: (item: T) => ItemKey;
  /**
   * The event after which the list is current again: by `apply` when given,
   * else by a refetch. A `resync` (missed events) refetches too.
   */
  live?: K;
  /** The list after a `live` event. */
  apply?: (list: T[], data: EventMap[K]) => T[];
}

/** Options of {@link CollectionState.act}. */
export interface ActOptions<T, R> {
  /** The success toast. */
  done?: string | ((result: R) => string);
  /** The item acted on: only it is marked busy. @default the whole list */
  item?: T;
  /** Put before the error in the error toast ("qwen: "). */
  failure?: string;
  /** The list after success; without it the list is refetched (unless `refresh` is false). */
  update?: (list: T[], result: R) => T[];
  /** @default true */
  refresh?: boolean;
}

/** What {@link useCollection} gives an island. */
export interface CollectionState<T> {
  list: Signal<T[]>;
  /** True while an action on the whole list runs. */
  busy: Signal<boolean>;
  /** Keys of the items with an action running. */
  pending: Signal<ReadonlySet<ItemKey>>;
  /** Whether an action on `item` (or on the whole list) is running. */
  isBusy(item: T): boolean;
  /** Refetches the list. */
  refresh(): Promise<void>;
  /**
   * Runs an action: a toast says it is done (then the list is brought up to
   * date) or why it failed. Resolves to its result, or undefined on failure.
   */
  act<R>(run: () => Promise<R>, options?: ActOptions<T, R>): Promise<R | undefined>;
}

const byId = (item: unknown) => (item as { id: ItemKey }).id;

/**
 * Keeps a list from the API current and acts on it.
 *
 * @example
 * ```ts
 * const users = useCollection({ url: "/api/auth/users", initial: props.users, live: "users.changed" });
 * await users.act(() => api(`/api/auth/users/${u.id}`, { method: "DELETE" }), { done: `${u.email} deleted` });
 * ```
 */
export function useCollection<T, K extends EventType = EventType>(
  options: CollectionOptions<T, K>,
): CollectionState<T> {
  const { url, initial, keyOf = byId, live } = options;
  const list = useSignal(initial);
  const busy = useSignal(false);
  const pending = useSignal<ReadonlySet<ItemKey>>(new Set());
  const apply = useRef(options.apply);
  apply.current = options.apply;

  async function refresh(): Promise<void> {
    list.value = await api<T[]>(url);
  }

  useEffect(() => {
    if (!live) return;
    const quietly = () => void refresh().catch(() => {});
    const stops = [
      onEvent(live, (data) => apply.current ? list.value = apply.current(list.value, data) : quietly()),
      onEvent("resync", quietly),
    ];
    return () => stops.forEach((stop) => stop());
  }, [live, url]);

  async function act<R>(run: () => Promise<R>, o: ActOptions<T, R> = {}): Promise<R | undefined> {
    const key = o.item === undefined ? null : keyOf(o.item);
    if (key === null) busy.value = true;
    else pending.value = markPending(pending.value, key, true);
    try {
      const result = await run();
      if (o.done) toast(typeof o.done === "string" ? o.done : o.done(result), "success");
      if (o.update) list.value = o.update(list.value, result);
      else if (o.refresh !== false) await refresh();
      return result;
    } catch (error) {
      toast(`${o.failure ?? ""}${errorMessage(error)}`, "error");
      return undefined;
    } finally {
      if (key === null) busy.value = false;
      else pending.value = markPending(pending.value, key, false);
    }
  }

  return {
    list,
    busy,
    pending,
    isBusy: (item) => busy.value || pending.value.has(keyOf(item)),
    refresh,
    act,
  };
}
