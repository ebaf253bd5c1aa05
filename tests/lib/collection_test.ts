import assert from "node:assert/strict";
import { useCollection } from "../../lib/client/collection.ts";
import { replaceItem } from "../../lib/client/items.ts";
import { mountHook, toastsDuring } from "../helpers/hooks.ts";

interface Item {
  id: number;
  name: string;
}

const INITIAL: Item[] = [{ id: 1, name: "a" }, { id: 2, name: "b" }];

Deno.test("useCollection() act() updates the list, says it is done and is busy meanwhile", async () => {
  const items = mountHook(useCollection<Item>, { url: "/api/items", initial: INITIAL });
  const toasts = await toastsDuring(async () => {
    const answer = await items.act(() => {
      assert.equal(items.busy.value, true);
      return Promise.resolve({ id: 2, name: "c" });
    }, {
      done: (item) => `${item.name} saved`,
      update: (list, item) => replaceItem(list, item, (x) => x.id),
    });
    assert.deepEqual(answer, { id: 2, name: "c" });
  });
  assert.deepEqual(toasts, [{ message: "c saved", kind: "success" }]);
  assert.deepEqual(items.list.value, [{ id: 1, name: "a" }, { id: 2, name: "c" }]);
  assert.equal(items.busy.value, false);
});

Deno.test("useCollection() act() on one item marks only it busy, and a failure is a toast", async () => {
  const items = mountHook(useCollection<Item>, { url: "/api/items", initial: INITIAL });
  const toasts = await toastsDuring(async () => {
    const answer = await items.act(() => {
      assert.equal(items.isBusy(INITIAL[0]), true);
      assert.equal(items.isBusy(INITIAL[1]), false);
      assert.equal(items.busy.value, false);
      return Promise.reject(new Error("Port 10240 is in use"));
    }, { item: INITIAL[0], failure: "a: ", refresh: false });
    assert.equal(answer, undefined);
  });
  assert.deepEqual(toasts, [{ message: "a: Port 10240 is in use", kind: "error" }]);
  assert.equal(items.isBusy(INITIAL[0]), false);
  assert.deepEqual(items.list.value, INITIAL, "a failed action leaves the list as it was");
});
