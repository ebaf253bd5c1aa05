/**
 * One profile's model server: feeds events to its state machine (`machine.ts`)
 * and applies the effects it returns to its parts. It decides nothing itself.
 * @module
 */
import type { Profile } from "../../db/profiles.ts";
import type { ServerInstance } from "../../db/server_instances.ts";
import type { ServerState, ServerStatus } from "../../lib/event_types.ts";
import { rejection, type RequestGate } from "./admission.ts";
import type { ProcessDriver } from "./driver.ts";
import { type Effect, initialState, isIdle, transition } from "./machine.ts";
import type { MachineEvent, MachineState } from "./machine.ts";
import type { RoomSeeker } from "./room.ts";
import { type ServerContext, shuttingDown } from "./server_context.ts";
import type { ServerLog } from "./server_log.ts";
import { type ServerParts, serverParts } from "./server_parts.ts";
import { freshRun, toServerStatus } from "./status.ts";
import { restartPending } from "./pending_restart.ts";
import { promptCacheDirOf } from "./launch.ts";

export type { ServerContext } from "./server_context.ts";

/** The server of one profile, created and driven by the supervisor. */
export class ManagedServer {
  readonly id: number;
  readonly log: ServerLog;
  /** The process side: pid, address, the sweep's readings. */
  readonly driver: ProcessDriver;
  /** The requests side: `gate.acquire(signal)` queues one request and resolves with its lease. */
  readonly gate: RequestGate;
  /** The server as the memory budget sees it. */
  readonly seeker: RoomSeeker;
  readonly #ctx: ServerContext;
  readonly #parts: ServerParts;
  #profile: Profile;
  #machine: MachineState;
  #events: MachineEvent[] = [];
  #settled: (() => void)[] = [];
  #forceStop = false;
  #closed = false;

  /** `log`: the profile's log when it was read before this server existed. */
  constructor(ctx: ServerContext, profile: Profile, log?: ServerLog) {
    this.#ctx = ctx;
    this.id = profile.id;
    this.#profile = profile;
    this.#machine = initialState(profile.max_concurrency ?? 1);
    this.#parts = serverParts(ctx, {
      id: profile.id,
      send: (event) => this.#dispatch(event),
      machine: () => this.#machine,
      profile: () => this.#profile,
      closed: () => this.#closed,
      coldRequest: () => this.#parts.restarts.forget(),
      refresh: (p) => this.refresh(p),
    }, log);
    ({ log: this.log, driver: this.driver, gate: this.gate, seeker: this.seeker } = this.#parts);
  }

  get state(): ServerState {
    return this.#machine.phase;
  }
  /** Whether a process exists (starting, running or stopping). */
  get live(): boolean {
    return this.#parts.driver.live;
  }

  /** Takes the profile's settings at once; the address only while no process runs. */
  refresh(profile: Profile): void {
    const idleChanged = profile.idle_timeout !== this.#profile.idle_timeout;
    this.#profile = profile;
    if (!this.live) Object.assign(this.#parts.driver.facts, { host: profile.host, port: profile.port });
    const maxConcurrency = profile.max_concurrency ?? 1;
    if (maxConcurrency !== this.#machine.maxConcurrency) {
      this.#dispatch({ type: "limits_changed", maxConcurrency });
    }
    if (idleChanged && this.state === "running" && isIdle(this.#machine)) {
      this.#apply({ type: "arm_idle_timer" });
    }
  }

  status(): ServerStatus {
    const { phase: state, inFlight, waiting: queued, startedFor } = this.#machine;
    const run = { ...this.#parts.driver.facts, restartAt: this.#parts.restarts.at };
    const totalMemory = this.#ctx.totalMemory();
    const pendingRestart = restartPending(
      this.#parts.driver.command,
      this.#profile,
      this.#ctx.serverInfo.latest,
      { promptCacheDir: promptCacheDirOf(this.#ctx.config.dataDir, this.#profile.id) },
    );
    return toServerStatus({
      profile: this.#profile,
      state,
      run,
      inFlight,
      queued,
      startedFor,
      pendingRestart,
      totalMemory,
    });
  }

  publish(): void {
    if (this.#closed) return;
    this.#ctx.bus.publish("server.update", this.status());
    if (this.state !== "starting") this.#settled.splice(0).forEach((resolve) => resolve());
  }

  /** Resolves once the server is no longer starting. */
  settled(): Promise<void> {
    return new Promise((resolve) => this.state === "starting" ? this.#settled.push(resolve) : resolve());
  }

  /** Starts the server unless it runs; concurrent calls share one start. Resolves once spawned. */
  async start(options: { automatic?: boolean } = {}): Promise<void> {
    if (this.#closed) throw shuttingDown();
    if (!options.automatic) this.#parts.restarts.forget();
    this.#dispatch({ type: "start_requested" });
    if (this.state === "stopping") await this.#parts.driver.ended;
    await this.#parts.driver.spawning;
  }

  /** Takes over a process recorded by an earlier run of the manager that is still alive. */
  async adopt(instance: ServerInstance): Promise<void> {
    this.#machine = { ...this.#machine, phase: instance.state };
    await this.#parts.driver.adopt(instance, () => this.publish());
    this.publish();
  }

  /** Stops the server (SIGKILL at once with `force`), or clears a failure; false when nothing ran. */
  async stop(options: { force?: boolean } = {}): Promise<boolean> {
    const { driver } = this.#parts;
    await driver.spawning?.catch(() => {});
    const was = this.state;
    if (was === "stopped") return false;
    if (was === "stopping" && options.force) driver.kill();
    this.#forceStop = options.force ?? false;
    this.#dispatch({ type: "stop_requested" });
    if (was !== "failed" && was !== "crashed") await driver.ended;
    return true;
  }

  /** Lets go: with `stopServer` the process is stopped first; otherwise it keeps running. */
  async close(stopServer: boolean): Promise<void> {
    const { driver, restarts, idle, gate, log } = this.#parts;
    restarts.cancel();
    if (stopServer) await driver.spawning?.catch(() => {});
    if (stopServer && this.live) await this.stop();
    this.#closed = true;
    idle.cancel();
    gate.queue.rejectAll(shuttingDown());
    log.tail.stop();
    driver.release();
    this.#settled.splice(0).forEach((resolve) => resolve());
  }

  // One event at a time, in order, even when an effect raises another; one publish at the end.
  #dispatch(event: MachineEvent): void {
    this.#events.push(event);
    if (this.#events.length > 1) return;
    let publish = false;
    while (this.#events.length) {
      const before = this.#machine;
      const { state, effects } = transition(before, this.#events[0]);
      this.#machine = state;
      publish ||= state.waiting !== before.waiting || state.inFlight !== before.inFlight;
      for (const effect of effects) effect.type === "publish" ? publish = true : this.#apply(effect);
      this.#events.shift();
    }
    if (publish) this.publish();
  }

  #apply(effect: Effect): void {
    const { driver, gate, charge, idle, restarts } = this.#parts;
    switch (effect.type) {
      case "spawn": {
        driver.spawn();
        const unreserve = () => charge.reserved = false;
        return void driver.spawning?.then(unreserve, unreserve);
      }
      case "terminate":
        driver.terminate(this.#forceStop || effect.force === true);
        this.#forceStop = false;
        return;
      case "admit":
        return gate.admit(effect.count);
      case "reject_waiting":
        return gate.queue.rejectAll(
          rejection(this.#profile.name, effect.error, driver.facts.lastError, {
            model: this.#profile.model_path,
            port: this.#profile.port,
          }),
        );
      case "arm_idle_timer":
        return idle.arm(this.#profile.idle_timeout, () => this.#dispatch({ type: "idle_timer_fired" }));
      case "cancel_idle_timer":
        return idle.cancel();
      case "schedule_restart": {
        if (!this.#profile.restart_on_crash || this.#closed) return;
        const run = {
          note: (t: string) => this.log.note(t),
          facts: () => driver.facts,
          publish: () => this.publish(),
        };
        return restarts.afterCrash(() => this.start({ automatic: true }), run);
      }
      case "cancel_restart":
        return restarts.cancel();
      case "reset_run":
        Object.assign(driver.facts, freshRun());
        return charge.newRun();
      case "record_end":
        driver.facts.lastError = effect.reason === null || effect.log === false
          ? effect.reason
          : this.log.withRunLines(effect.reason);
        return;
      case "released_memory":
        return this.#ctx.roomChanged();
    }
  }
}
