import assert from "node:assert/strict";
import { markPending, removeItem, replaceItem, upsertItem } from "../../lib/client/items.ts";

const byId = (x: { id: number }) => x.id;

Deno.test("replaceItem() swaps the item of the same key and leaves the list alone without one", () => {
  const list = [{ id: 1, n: "a" }, { id: 2, n: "b" }];
  assert.deepEqual(replaceItem(list, { id: 2, n: "c" }, byId), [{ id: 1, n: "a" }, { id: 2, n: "c" }]);
  assert.deepEqual(replaceItem(list, { id: 3, n: "d" }, byId), list);
  assert.deepEqual(list, [{ id: 1, n: "a" }, { id: 2, n: "b" }], "the list given is not changed");
});

Deno.test("upsertItem() replaces or adds the item, in the order given", () => {
  const order = (a: { id: number }, b: { id: number }) => a.id - b.id;
  assert.deepEqual(upsertItem([{ id: 3 }, { id: 1 }], { id: 2 }, byId, order), [{ id: 1 }, { id: 2 }, {
    id: 3,
  }]);
  assert.deepEqual(upsertItem([{ id: 1, n: "a" }], { id: 1, n: "b" }, byId), [{ id: 1, n: "b" }]);
  assert.deepEqual(
    upsertItem([{ id: 2 }], { id: 1 }, byId),
    [{ id: 2 }, { id: 1 }],
    "added last without an order",
  );
});

Deno.test("removeItem() drops only the item of that key", () => {
  assert.deepEqual(removeItem([{ id: 1 }, { id: 2 }], 1, byId), [{ id: 2 }]);
  assert.deepEqual(removeItem([{ id: 1 }], 9, byId), [{ id: 1 }]);
});

Deno.test("markPending() adds and removes a key without changing the set it is given", () => {
  const before = new Set([1]);
  const after = markPending(before, 2, true);
  assert.deepEqual([...after].sort(), [1, 2]);
  assert.deepEqual([...markPending(after, 1, false)], [2]);
  assert.deepEqual([...before], [1]);
});
