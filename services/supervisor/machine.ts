/**
 * The life of one profile's server as a pure state machine: every decision
 * about starting, stopping, admitting requests, idle unload and eviction is
 * one {@link transition}, and the driver (`server.ts`) only carries out the
 * effects it returns. Nothing here touches a process, a timer or a clock.
 *
 * @module
 */
import type { ServerState } from "../../lib/event_types.ts";

/** What the machine knows of a profile's server. */
export interface MachineState {
  phase: ServerState;
  /** Requests holding a lease (between admission and release). */
  inFlight: number;
  /** Requests in the manager's queue, waiting for the server or for a free slot. */
  waiting: number;
  /** At most this many requests reach the server at once (the profile's `max_concurrency`). */
  maxConcurrency: number;
  /** Why the current run is being ended as failed (it missed its start deadline). */
  failure: string | null;
  /** Why the current run is being ended as crashed (its model process died while the server lived on). */
  crash: string | null;
  /** A start was asked for while stopping: start again once the process is gone. */
  startAfterStop: boolean;
  /**
   * The model a request asked for when it caused the current start (or the
   * start after the stop in progress); null when a person, auto-start or a
   * crash restart started it.
   */
  startedFor: string | null;
}

/** Something that happened to the server or was asked of it. */
export type MachineEvent =
  /** A person, auto-start or a crash restart asks for the server. */
  | { type: "start_requested" }
  /** The process exists (spawned, or adopted after a manager restart). */
  | { type: "spawned" }
  /** The process could not be started (a port, host or memory problem); `error` goes to the waiting requests. */
  /**
   * The spawn did not happen. `failed`: a problem of the profile that a
   * retry cannot fix (its port is taken): the server shows it as failed.
   */
  | { type: "spawn_failed"; error: unknown; failed?: string }
  /** `/health` answered 200 for the first time. */
  | { type: "ready" }
  /** It did not get ready within the start timeout. */
  | { type: "deadline"; reason: string }
  /** The process is gone; `how` says why ("exited with code 1"). */
  | { type: "exited"; how: string }
  /**
   * The model process of a running server died while the server lives on
   * (1.8 runs the model in a child and notices only at the next request).
   */
  | { type: "model_died"; reason: string }
  /** A person asks for a stop. */
  | { type: "stop_requested" }
  /** A request wants the server; `model` is the name it asked for (a profile name or alias). */
  | { type: "request_arrived"; model: string }
  /** A waiting request got its slot (the driver admits them after an `admit` effect). */
  | { type: "request_admitted" }
  /** A waiting request gave up (it timed out, or its client went away). */
  | { type: "request_left" }
  /** A request let go of its lease. */
  | { type: "request_ended" }
  /** The idle timer armed at the last release fired. */
  | { type: "idle_timer_fired" }
  /** The supervisor needs the memory this server holds. */
  | { type: "evict" }
  /** The profile's `max_concurrency` changed. */
  | { type: "limits_changed"; maxConcurrency: number };

/** What the driver must do after a transition. */
export type Effect =
  /** Check the port, host and memory, then spawn the process (answering `spawned` or `spawn_failed`). */
  | { type: "spawn" }
  /** SIGTERM the process group (SIGKILL after the stop timeout; at once with `force`); answers `exited`. */
  | { type: "terminate"; force?: boolean }
  /** Let up to `count` waiting requests in (each answering `request_admitted`). */
  | { type: "admit"; count: number }
  /** Fail every waiting request (a start that failed, a crash, a stop asked for). */
  | { type: "reject_waiting"; error: RejectReason }
  /** Start the idle timer (when the profile has an `idle_timeout`). */
  | { type: "arm_idle_timer" }
  | { type: "cancel_idle_timer" }
  /** After a crash: restart with backoff if the profile asks for it. */
  | { type: "schedule_restart" }
  | { type: "cancel_restart" }
  /** Clear the fields of the previous run (exit code, error, health). */
  | { type: "reset_run" }
  /**
   * Record the run's end in `last_error` (`reason` null = a clean stop),
   * with the run's last log lines unless `log` is false (nothing ran).
   */
  | { type: "record_end"; reason: string | null; log?: false }
  /** The server is free for other profiles' memory needs (it stopped, failed or crashed). */
  | { type: "released_memory" }
  /** Push the status on the event bus. */
  | { type: "publish" };

/**
 * Why waiting requests are failed: a reason code and a message, or the error
 * a spawn failed with (a port or memory problem), passed on as it is.
 */
export type RejectReason = { reason: string; message: string } | { error: unknown };

/** A profile's server before it ever ran. */
export function initialState(maxConcurrency = 1): MachineState {
  return {
    phase: "stopped",
    inFlight: 0,
    waiting: 0,
    maxConcurrency: Math.max(1, maxConcurrency),
    failure: null,
    crash: null,
    startAfterStop: false,
    startedFor: null,
  };
}

/** The outcome of one {@link transition}. */
export interface Transition {
  state: MachineState;
  effects: Effect[];
}

const ACTIVE = new Set<ServerState>(["starting", "running"]);

/** Whether nothing holds or waits for the server. */
export function isIdle(state: MachineState): boolean {
  return state.inFlight === 0 && state.waiting === 0;
}

function admitEffects(state: MachineState): Effect[] {
  if (state.phase !== "running") return [];
  const count = Math.min(state.waiting, state.maxConcurrency - state.inFlight);
  return count > 0 ? [{ type: "admit", count }] : [];
}

function idleEffects(state: MachineState): Effect[] {
  return state.phase === "running" && isIdle(state) ? [{ type: "arm_idle_timer" }] : [];
}

function starting(state: MachineState, startedFor: string | null): Transition {
  return {
    state: { ...state, phase: "starting", failure: null, crash: null, startAfterStop: false, startedFor },
    effects: [{ type: "cancel_restart" }, { type: "spawn" }],
  };
}

function stopping(state: MachineState, extra: Effect[] = []): Transition {
  return {
    state: { ...state, phase: "stopping", startAfterStop: false },
    effects: [{ type: "cancel_idle_timer" }, ...extra, { type: "terminate" }, { type: "publish" }],
  };
}

const STOPPED: RejectReason = { reason: "model_stopped", message: "The server was stopped" };

/** A running server's end as crashed: waiting requests fail, a restart is scheduled if the profile wants one. */
function crashed(state: MachineState, reason: string, end: Effect[]): Transition {
  return {
    state: { ...state, phase: "crashed", waiting: 0, crash: null },
    effects: [
      ...end,
      { type: "record_end", reason },
      { type: "reject_waiting", error: { reason: "model_crashed", message: reason } },
      { type: "schedule_restart" },
      { type: "publish" },
    ],
  };
}

/**
 * The next state and the effects to carry out, for one event.
 *
 * @example
 * ```ts
 * const { state, effects } = transition(initialState(), { type: "request_arrived", model: "qwen" });
 * state.phase; // "starting"
 * effects; // [{ type: "cancel_idle_timer" }, { type: "cancel_restart" }, { type: "spawn" }]
 * ```
 */
export function transition(state: MachineState, event: MachineEvent): Transition {
  const same: Transition = { state, effects: [] };
  switch (event.type) {
    case "start_requested":
      if (ACTIVE.has(state.phase)) return same;
      if (state.phase === "stopping") {
        return { state: { ...state, startAfterStop: true, startedFor: null }, effects: [] };
      }
      return starting(state, null);

    case "spawned":
      if (state.phase !== "starting") return same;
      return { state, effects: [{ type: "reset_run" }, { type: "publish" }] };

    case "spawn_failed": {
      if (state.phase !== "starting") return same;
      if (event.failed) {
        return {
          state: { ...state, phase: "failed", waiting: 0 },
          effects: [
            { type: "record_end", reason: event.failed, log: false },
            { type: "reject_waiting", error: { error: event.error } },
            { type: "publish" },
          ],
        };
      }
      return {
        state: { ...state, phase: "stopped", waiting: 0 },
        effects: [{ type: "reject_waiting", error: { error: event.error } }, { type: "publish" }],
      };
    }

    case "ready": {
      if (state.phase !== "starting" || state.failure) return same;
      const next = { ...state, phase: "running" as const };
      return { state: next, effects: [{ type: "publish" }, ...admitEffects(next), ...idleEffects(next)] };
    }

    case "deadline":
      if (state.phase !== "starting" || state.failure) return same;
      return { state: { ...state, failure: event.reason }, effects: [{ type: "terminate" }] };

    case "exited": {
      const end: Effect[] = [{ type: "cancel_idle_timer" }, { type: "released_memory" }];
      if (state.phase === "stopping" && state.crash) {
        // Requests that came while the broken server was being ended get a new one.
        if (state.waiting === 0) return crashed(state, state.crash, end);
        const again = starting({ ...state, phase: "crashed" }, state.startedFor);
        return {
          state: again.state,
          effects: [...end, { type: "record_end", reason: state.crash }, ...again.effects],
        };
      }
      if (state.phase === "stopping" && !state.failure) {
        const stopped = { ...state, phase: "stopped" as const };
        if (state.startAfterStop || state.waiting > 0) {
          const again = starting(stopped, stopped.startedFor);
          return {
            state: again.state,
            effects: [...end, { type: "record_end", reason: null }, ...again.effects],
          };
        }
        return {
          state: stopped,
          effects: [...end, { type: "record_end", reason: null }, { type: "publish" }],
        };
      }
      if (state.phase === "starting" || (state.phase === "stopping" && state.failure)) {
        const reason = state.failure ?? `The server ${event.how} before it was ready`;
        return {
          state: { ...state, phase: "failed", waiting: 0, startAfterStop: false },
          effects: [
            ...end,
            { type: "record_end", reason },
            { type: "reject_waiting", error: { reason: "model_start_failed", message: reason } },
            { type: "publish" },
          ],
        };
      }
      if (state.phase === "running") return crashed(state, `The server ${event.how}`, end);
      return same;
    }

    case "model_died":
      if (state.phase !== "running") return same;
      // Its requests would wait for a model that is gone: the whole server goes at once.
      return {
        state: { ...state, phase: "stopping", crash: event.reason, startAfterStop: false, waiting: 0 },
        effects: [
          { type: "cancel_idle_timer" },
          { type: "reject_waiting", error: { reason: "model_crashed", message: event.reason } },
          { type: "terminate", force: true },
          { type: "publish" },
        ],
      };

    case "stop_requested":
      if (ACTIVE.has(state.phase)) {
        return stopping({ ...state, waiting: 0 }, [{ type: "reject_waiting", error: STOPPED }]);
      }
      if (state.phase === "stopping") return { state: { ...state, startAfterStop: false }, effects: [] };
      if (state.phase === "failed" || state.phase === "crashed") {
        return {
          state: { ...state, phase: "stopped" },
          effects: [{ type: "cancel_restart" }, { type: "record_end", reason: null }, { type: "publish" }],
        };
      }
      return same;

    case "request_arrived": {
      const next = { ...state, waiting: state.waiting + 1 };
      const effects: Effect[] = [{ type: "cancel_idle_timer" }];
      if (next.phase === "stopped" || next.phase === "failed" || next.phase === "crashed") {
        const start = starting(next, event.model);
        return { state: start.state, effects: [...effects, ...start.effects] };
      }
      // It will start the server again once the stop is over, unless a person asked first.
      if (next.phase === "stopping" && !next.startAfterStop) next.startedFor = event.model;
      return { state: next, effects: [...effects, ...admitEffects(next)] };
    }

    case "request_admitted":
      if (state.waiting === 0) return same;
      return { state: { ...state, waiting: state.waiting - 1, inFlight: state.inFlight + 1 }, effects: [] };

    case "request_left": {
      if (state.waiting === 0) return same;
      const next = { ...state, waiting: state.waiting - 1 };
      return { state: next, effects: idleEffects(next) };
    }

    case "request_ended": {
      if (state.inFlight === 0) return same;
      const next = { ...state, inFlight: state.inFlight - 1 };
      return { state: next, effects: [...admitEffects(next), ...idleEffects(next)] };
    }

    case "idle_timer_fired":
    case "evict":
      if (state.phase !== "running" || !isIdle(state)) return same;
      return stopping(state);

    case "limits_changed": {
      const next = { ...state, maxConcurrency: Math.max(1, event.maxConcurrency) };
      return { state: next, effects: admitEffects(next) };
    }
  }
}
