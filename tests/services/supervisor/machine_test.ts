import assert from "node:assert/strict";
import {
  type Effect,
  initialState,
  type MachineEvent,
  type MachineState,
  transition,
} from "../../../services/supervisor/machine.ts";
import type { ServerState } from "../../../lib/event_types.ts";

const at = (phase: ServerState, more: Partial<MachineState> = {}): MachineState => ({
  ...initialState(2),
  phase,
  ...more,
});
const types = (effects: Effect[]) => effects.map((e) => e.type);

const EVENTS: Record<string, MachineEvent> = {
  start_requested: { type: "start_requested" },
  spawned: { type: "spawned" },
  spawn_failed: { type: "spawn_failed", error: new Error("port in use") },
  ready: { type: "ready" },
  deadline: { type: "deadline", reason: "Did not become ready within 1 s" },
  exited: { type: "exited", how: "exited with code 1" },
  model_died: { type: "model_died", reason: "The model process (pid 7) ended while the server kept running" },
  stop_requested: { type: "stop_requested" },
  request_arrived: { type: "request_arrived", model: "coder" },
  request_admitted: { type: "request_admitted" },
  request_left: { type: "request_left" },
  request_ended: { type: "request_ended" },
  idle_timer_fired: { type: "idle_timer_fired" },
  evict: { type: "evict" },
  limits_changed: { type: "limits_changed", maxConcurrency: 4 },
};

// The phase after each event, from each phase, for an idle server (no lease, nobody waiting).
const PHASE_AFTER: Record<ServerState, Record<string, ServerState>> = {
  stopped: {
    start_requested: "starting",
    spawned: "stopped",
    spawn_failed: "stopped",
    ready: "stopped",
    deadline: "stopped",
    exited: "stopped",
    model_died: "stopped",
    stop_requested: "stopped",
    request_arrived: "starting",
    request_admitted: "stopped",
    request_left: "stopped",
    request_ended: "stopped",
    idle_timer_fired: "stopped",
    evict: "stopped",
    limits_changed: "stopped",
  },
  starting: {
    start_requested: "starting",
    spawned: "starting",
    spawn_failed: "stopped",
    ready: "running",
    deadline: "starting",
    exited: "failed",
    model_died: "starting",
    stop_requested: "stopping",
    request_arrived: "starting",
    request_admitted: "starting",
    request_left: "starting",
    request_ended: "starting",
    idle_timer_fired: "starting",
    evict: "starting",
    limits_changed: "starting",
  },
  running: {
    start_requested: "running",
    spawned: "running",
    spawn_failed: "running",
    ready: "running",
    deadline: "running",
    exited: "crashed",
    model_died: "stopping",
    stop_requested: "stopping",
    request_arrived: "running",
    request_admitted: "running",
    request_left: "running",
    request_ended: "running",
    idle_timer_fired: "stopping",
    evict: "stopping",
    limits_changed: "running",
  },
  stopping: {
    start_requested: "stopping",
    spawned: "stopping",
    spawn_failed: "stopping",
    ready: "stopping",
    deadline: "stopping",
    exited: "stopped",
    model_died: "stopping",
    stop_requested: "stopping",
    request_arrived: "stopping",
    request_admitted: "stopping",
    request_left: "stopping",
    request_ended: "stopping",
    idle_timer_fired: "stopping",
    evict: "stopping",
    limits_changed: "stopping",
  },
  failed: {
    start_requested: "starting",
    spawned: "failed",
    spawn_failed: "failed",
    ready: "failed",
    deadline: "failed",
    exited: "failed",
    model_died: "failed",
    stop_requested: "stopped",
    request_arrived: "starting",
    request_admitted: "failed",
    request_left: "failed",
    request_ended: "failed",
    idle_timer_fired: "failed",
    evict: "failed",
    limits_changed: "failed",
  },
  crashed: {
    start_requested: "starting",
    spawned: "crashed",
    spawn_failed: "crashed",
    ready: "crashed",
    deadline: "crashed",
    exited: "crashed",
    model_died: "crashed",
    stop_requested: "stopped",
    request_arrived: "starting",
    request_admitted: "crashed",
    request_left: "crashed",
    request_ended: "crashed",
    idle_timer_fired: "crashed",
    evict: "crashed",
    limits_changed: "crashed",
  },
};

Deno.test("transition() gives the table's phase for every state × event", () => {
  for (const [phase, row] of Object.entries(PHASE_AFTER) as [ServerState, Record<string, ServerState>][]) {
    assert.deepEqual(Object.keys(row).sort(), Object.keys(EVENTS).sort(), `${phase} covers every event`);
    for (const [name, expected] of Object.entries(row)) {
      const { state } = transition(at(phase), EVENTS[name]);
      assert.equal(state.phase, expected, `${phase} + ${name}`);
    }
  }
});

Deno.test("transition() spawns once for a start request and ignores one while starting or running", () => {
  const first = transition(at("stopped"), EVENTS.start_requested);
  assert.deepEqual(types(first.effects), ["cancel_restart", "spawn"]);
  assert.deepEqual(transition(first.state, EVENTS.start_requested).effects, []);
  assert.deepEqual(transition(at("running"), EVENTS.start_requested).effects, []);
});

Deno.test("transition() starts a stopped server when a request arrives and queues the request", () => {
  const { state, effects } = transition(at("stopped"), EVENTS.request_arrived);
  assert.equal(state.waiting, 1);
  assert.deepEqual(types(effects), ["cancel_idle_timer", "cancel_restart", "spawn"]);
  const again = transition(state, EVENTS.request_arrived);
  assert.equal(again.state.waiting, 2, "a second request joins the same start");
  assert.ok(!types(again.effects).includes("spawn"));
});

Deno.test("transition() remembers which model a request asked for when it started the server, and a manual start as none", () => {
  const forRequest = transition(at("stopped"), EVENTS.request_arrived).state;
  assert.equal(forRequest.startedFor, "coder");
  const joined = transition(forRequest, { type: "request_arrived", model: "other" }).state;
  assert.equal(joined.startedFor, "coder", "a request joining the start does not change its cause");
  assert.equal(transition(joined, EVENTS.ready).state.startedFor, "coder", "kept while it runs");
  assert.equal(transition(at("failed"), EVENTS.request_arrived).state.startedFor, "coder");
  const manual = transition(at("stopped", { startedFor: "coder" }), EVENTS.start_requested).state;
  assert.equal(manual.startedFor, null);
  assert.equal(
    transition(at("running"), EVENTS.request_arrived).state.startedFor,
    null,
    "no start, no cause",
  );

  // While stopping: the start after the stop is for the request, unless a person asked first.
  const again = transition(transition(at("stopping"), EVENTS.request_arrived).state, EVENTS.exited).state;
  assert.deepEqual([again.phase, again.startedFor], ["starting", "coder"]);
  const asked = transition(at("stopping", { startedFor: "old" }), EVENTS.start_requested).state;
  const then = transition(asked, EVENTS.request_arrived).state;
  assert.equal(transition(then, EVENTS.exited).state.startedFor, null);
});

Deno.test("transition() admits waiting requests up to max_concurrency once the server is ready", () => {
  const { state, effects } = transition(at("starting", { waiting: 3 }), EVENTS.ready);
  assert.equal(state.phase, "running");
  assert.deepEqual(effects.find((e) => e.type === "admit"), { type: "admit", count: 2 });
  const admitted =
    transition(transition(state, EVENTS.request_admitted).state, EVENTS.request_admitted).state;
  assert.deepEqual([admitted.inFlight, admitted.waiting], [2, 1]);
  const ended = transition(admitted, EVENTS.request_ended);
  assert.deepEqual(ended.effects, [{ type: "admit", count: 1 }], "a slot that frees lets the next one in");
});

Deno.test("transition() admits a request at once when a running server has a free slot", () => {
  const { state, effects } = transition(at("running", { inFlight: 1 }), EVENTS.request_arrived);
  assert.deepEqual(effects, [{ type: "cancel_idle_timer" }, { type: "admit", count: 1 }]);
  assert.equal(state.waiting, 1);
  const full = transition(at("running", { inFlight: 2 }), EVENTS.request_arrived);
  assert.deepEqual(full.effects, [{ type: "cancel_idle_timer" }], "at max_concurrency it waits");
});

Deno.test("transition() arms the idle timer when the last request ends and the queue is empty", () => {
  const last = transition(at("running", { inFlight: 1 }), EVENTS.request_ended);
  assert.deepEqual(types(last.effects), ["arm_idle_timer"]);
  const notLast = transition(at("running", { inFlight: 2 }), EVENTS.request_ended);
  assert.deepEqual(types(notLast.effects), []);
  const queued = transition(at("running", { inFlight: 2, waiting: 1 }), EVENTS.request_ended);
  assert.deepEqual(types(queued.effects), ["admit"], "a waiting request takes the slot: no idle timer");
  const ready = transition(at("starting"), EVENTS.ready);
  assert.ok(
    types(ready.effects).includes("arm_idle_timer"),
    "a server started with no request idles from the start",
  );
});

Deno.test("transition() stops an idle server when its timer fires, never one with a lease or a waiter", () => {
  const idle = transition(at("running"), EVENTS.idle_timer_fired);
  assert.equal(idle.state.phase, "stopping");
  assert.ok(types(idle.effects).includes("terminate"));
  for (const busy of [{ inFlight: 1 }, { waiting: 1 }]) {
    const kept = transition(at("running", busy), EVENTS.idle_timer_fired);
    assert.equal(kept.state.phase, "running");
    assert.deepEqual(kept.effects, []);
    assert.equal(transition(at("running", busy), EVENTS.evict).state.phase, "running", "evict spares it too");
  }
});

Deno.test("transition() starts again after the stop when a request arrives while stopping", () => {
  const arrived = transition(at("stopping"), EVENTS.request_arrived);
  assert.equal(arrived.state.waiting, 1);
  assert.ok(!types(arrived.effects).includes("spawn"), "no second process while the first is still there");
  const exited = transition(arrived.state, EVENTS.exited);
  assert.equal(exited.state.phase, "starting");
  assert.ok(types(exited.effects).includes("spawn"));
  const asked = transition(at("stopping"), EVENTS.start_requested);
  assert.equal(
    transition(asked.state, EVENTS.exited).state.phase,
    "starting",
    "a start asked while stopping",
  );
});

Deno.test("transition() marks a start that exits before ready as failed and fails its waiting requests", () => {
  const { state, effects } = transition(at("starting", { waiting: 2 }), EVENTS.exited);
  assert.equal(state.phase, "failed");
  assert.equal(state.waiting, 0);
  assert.deepEqual(effects.find((e) => e.type === "record_end"), {
    type: "record_end",
    reason: "The server exited with code 1 before it was ready",
  });
  assert.deepEqual(effects.find((e) => e.type === "reject_waiting"), {
    type: "reject_waiting",
    error: { reason: "model_start_failed", message: "The server exited with code 1 before it was ready" },
  });
});

Deno.test("transition() gives a missed start deadline as the failure, even when the stop makes it exit", () => {
  const late = transition(at("starting"), EVENTS.deadline);
  assert.deepEqual(types(late.effects), ["terminate"]);
  const ended = transition(late.state, EVENTS.exited);
  assert.equal(ended.state.phase, "failed");
  assert.deepEqual(ended.effects.find((e) => e.type === "record_end"), {
    type: "record_end",
    reason: "Did not become ready within 1 s",
  });
  assert.equal(transition(late.state, EVENTS.ready).state.phase, "starting", "a late answer does not count");
});

Deno.test("transition() marks an exit while running as crashed and schedules the restart policy", () => {
  const { state, effects } = transition(at("running", { inFlight: 1 }), EVENTS.exited);
  assert.equal(state.phase, "crashed");
  assert.ok(types(effects).includes("schedule_restart"));
  assert.ok(types(effects).includes("released_memory"));
});

Deno.test("transition() ends a stop as stopped, not crashed, and clears a failure on stop", () => {
  const stop = transition(at("running"), EVENTS.stop_requested);
  assert.deepEqual(types(stop.effects), ["cancel_idle_timer", "reject_waiting", "terminate", "publish"]);
  const exited = transition(stop.state, EVENTS.exited);
  assert.equal(exited.state.phase, "stopped");
  assert.deepEqual(exited.effects.find((e) => e.type === "record_end"), { type: "record_end", reason: null });
  const cleared = transition(at("failed"), EVENTS.stop_requested);
  assert.deepEqual(types(cleared.effects), ["cancel_restart", "record_end", "publish"]);
});

Deno.test("transition() fails the waiting requests with the spawn's error and stays stopped", () => {
  const error = new Error("Port 10240 is in use");
  const { state, effects } = transition(at("starting", { waiting: 3 }), { type: "spawn_failed", error });
  assert.equal(state.phase, "stopped");
  assert.equal(state.waiting, 0);
  assert.deepEqual(effects[0], { type: "reject_waiting", error: { error } });
});

Deno.test("transition() marks a spawn refused for a problem of the profile as failed, without a log", () => {
  const error = new Error("Port 10240 is in use by another process");
  const { state, effects } = transition(at("starting", { waiting: 2 }), {
    type: "spawn_failed",
    error,
    failed: error.message,
  });
  assert.equal(state.phase, "failed");
  assert.equal(state.waiting, 0);
  assert.deepEqual(effects, [
    { type: "record_end", reason: error.message, log: false },
    { type: "reject_waiting", error: { error } },
    { type: "publish" },
  ]);
  const retried = transition(state, EVENTS.start_requested);
  assert.equal(retried.state.phase, "starting", "Retry starts it again");
});

Deno.test("transition() counts a waiter that leaves, and idles once nobody is left", () => {
  const left = transition(at("running", { waiting: 1, inFlight: 0 }), EVENTS.request_left);
  assert.equal(left.state.waiting, 0);
  assert.deepEqual(types(left.effects), ["arm_idle_timer"]);
  assert.equal(transition(at("running"), EVENTS.request_left).state.waiting, 0, "never below zero");
  assert.equal(transition(at("running"), EVENTS.request_ended).state.inFlight, 0, "never below zero");
});

Deno.test("transition() lets waiting requests in at once when max_concurrency grows", () => {
  const { state, effects } = transition(at("running", { inFlight: 2, waiting: 3 }), EVENTS.limits_changed);
  assert.equal(state.maxConcurrency, 4);
  assert.deepEqual(effects, [{ type: "admit", count: 2 }]);
});

Deno.test("transition() ends a running server at once when its model process dies, and shows it crashed with the reason", () => {
  const reason = EVENTS.model_died.type === "model_died" ? EVENTS.model_died.reason : "";
  const died = transition(at("running", { inFlight: 2, waiting: 1 }), EVENTS.model_died);
  assert.equal(died.state.phase, "stopping");
  assert.equal(died.state.waiting, 0);
  assert.deepEqual(died.effects, [
    { type: "cancel_idle_timer" },
    { type: "reject_waiting", error: { reason: "model_crashed", message: reason } },
    { type: "terminate", force: true },
    { type: "publish" },
  ]);
  const ended = transition(died.state, EVENTS.exited);
  assert.equal(ended.state.phase, "crashed");
  assert.equal(ended.state.crash, null);
  assert.deepEqual(ended.effects.find((e) => e.type === "record_end"), { type: "record_end", reason });
  assert.ok(types(ended.effects).includes("schedule_restart"));
  // Only a running server's model dies; any other phase ignores it.
  for (const phase of ["starting", "stopping", "stopped", "failed", "crashed"] as const) {
    assert.deepEqual(transition(at(phase), EVENTS.model_died).effects, []);
  }
});

Deno.test("transition() serves a request that came while a broken server was ended with a new one", () => {
  const died = transition(at("running"), EVENTS.model_died).state;
  const queued = transition(died, EVENTS.request_arrived).state;
  const again = transition(queued, EVENTS.exited);
  assert.equal(again.state.phase, "starting");
  assert.equal(again.state.waiting, 1);
  assert.deepEqual(types(again.effects).slice(-3), ["record_end", "cancel_restart", "spawn"]);
});
