/**
 * Pure updates of the lists islands show: replace, insert or remove one item
 * by its key, and the set of items with an action in progress. Browser-safe.
 *
 * @module
 */

/** An item's key in its list. */
export type ItemKey = string | number;

/**
 * The list with the item of the same key replaced (left as it is when absent).
 *
 * @example
 * ```ts
 * replaceItem([{ id: 1, n: "a" }, { id: 2, n: "b" }], { id: 2, n: "c" }, (x) => x.id);
 * // [{ id: 1, n: "a" }, { id: 2, n: "c" }]
 * ```
 */
export function replaceItem<T>(list: readonly T[], item: T, keyOf: (item: T) => ItemKey): T[] {
  const key = keyOf(item);
  return list.map((x) => keyOf(x) === key ? item : x);
}

/**
 * The list with `item` in place of the one of the same key, or added, in `order`.
 *
 * @example
 * ```ts
 * upsertItem([{ id: 2 }], { id: 1 }, (x) => x.id, (a, b) => a.id - b.id); // [{ id: 1 }, { id: 2 }]
 * ```
 */
export function upsertItem<T>(
  list: readonly T[],
  item: T,
  keyOf: (item: T) => ItemKey,
  order?: (a: T, b: T) => number,
): T[] {
  const next = [...removeItem(list, keyOf(item), keyOf), item];
  return order ? next.sort(order) : next;
}

/**
 * The list without the item of key `key`.
 *
 * @example
 * ```ts
 * removeItem([{ id: 1 }, { id: 2 }], 1, (x) => x.id); // [{ id: 2 }]
 * ```
 */
export function removeItem<T>(list: readonly T[], key: ItemKey, keyOf: (item: T) => ItemKey): T[] {
  return list.filter((x) => keyOf(x) !== key);
}

/**
 * The keys of items with an action in progress, with `key` added (`on`) or taken out.
 *
 * @example
 * ```ts
 * markPending(new Set([1]), 2, true); // Set {1, 2}
 * ```
 */
export function markPending(
  pending: ReadonlySet<ItemKey>,
  key: ItemKey,
  on: boolean,
): ReadonlySet<ItemKey> {
  const next = new Set(pending);
  if (on) next.add(key);
  else next.delete(key);
  return next;
}
