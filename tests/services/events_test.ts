import assert from "node:assert/strict";
import { EventBus } from "../../services/events.ts";

Deno.test("EventBus delivers events in order with increasing ids", () => {
  const bus = new EventBus();
  const seen: [number, string][] = [];
  const stop = bus.subscribe((e) => seen.push([e.id, e.type]));
  bus.publish("users.pending", { count: 1 });
  bus.publish("notice", { message: "hi", kind: "info" });
  stop();
  bus.publish("users.pending", { count: 2 });
  assert.deepEqual(seen, [[1, "users.pending"], [2, "notice"]]);
  assert.equal(bus.listenerCount, 0);
  const stopClient = bus.subscribe(() => {}, { client: true });
  bus.subscribe(() => {});
  assert.equal(bus.clientCount, 1);
  stopClient();
  assert.equal(bus.clientCount, 0);
});

Deno.test("EventBus keeps delivering when a listener throws", () => {
  const bus = new EventBus();
  let delivered = 0;
  bus.subscribe(() => {
    throw new Error("bad listener");
  });
  bus.subscribe(() => delivered++);
  bus.publish("users.pending", { count: 1 });
  assert.equal(delivered, 1);
});

Deno.test("EventBus.since() replays missed events, or null when they are gone", () => {
  const bus = new EventBus({ historySize: 3 });
  for (let i = 0; i < 5; i++) bus.publish("users.pending", { count: i });
  assert.deepEqual(bus.since(3)!.map((e) => e.id), [4, 5]);
  assert.deepEqual(bus.since(5), []);
  assert.deepEqual(bus.since(2)!.map((e) => e.id), [3, 4, 5]);
  assert.equal(bus.since(1), null);
  assert.equal(bus.since(99), null);
});

Deno.test("EventBus.on() hands its handler the payload of its one event type until it is removed", () => {
  const bus = new EventBus();
  const counts: number[] = [];
  const ids: number[] = [];
  const stop = bus.on("users.pending", (data, event) => {
    counts.push(data.count);
    ids.push(event.id);
  });
  bus.publish("users.pending", { count: 1 });
  bus.publish("notice", { message: "not for it", kind: "info" });
  bus.publish("users.pending", { count: 2 });
  stop();
  bus.publish("users.pending", { count: 3 });
  assert.deepEqual(counts, [1, 2]);
  assert.deepEqual(ids, [1, 3]);
  assert.equal(bus.listenerCount, 0);
});

Deno.test("EventBus events narrow by type: a server.update carries a ServerStatus", () => {
  const bus = new EventBus();
  const states: string[] = [];
  bus.subscribe((event) => {
    // No cast: testing the type narrows the data.
    if (event.type === "users.pending") states.push(`pending ${event.data.count}`);
    if (event.type === "models.changed") states.push(`model ${event.data.id}`);
  });
  bus.publish("users.pending", { count: 4 });
  bus.publish("models.changed", { id: "org/x" });
  assert.deepEqual(states, ["pending 4", "model org/x"]);
});
