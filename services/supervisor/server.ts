/**
 * One profile's model server: feeds events to its state machine
 * (`machine.ts`) and applies the effects it returns to the process driver,
 * the request queue, the timers and the event bus. Every decision is the
 * machine's; this only carries them out.
 *
 * @module
 */
import { findProfile, type Profile } from "../../db/profiles.ts";
import type { ServerInstance } from "../../db/server_instances.ts";
import type { ServerState, ServerStatus } from "../../lib/event_types.ts";
import type { TreeUsage } from "../platform/processes.ts";
import { rejection, RequestGate } from "./admission.ts";
import { ProcessDriver } from "./driver.ts";
import { estimateFootprint, ServerCharge } from "./footprint.ts";
import type { ProbeResult } from "./health.ts";
import type { Lease } from "./lease.ts";
import {
  type Effect,
  initialState,
  isIdle,
  type MachineEvent,
  type MachineState,
  transition,
} from "./machine.ts";
import { CrashRestarts } from "./restart.ts";
import type { RoomSeeker } from "./room.ts";
import { type ServerContext, shuttingDown } from "./server_context.ts";
import { logPathOf, ServerLog } from "./server_log.ts";
import { freshRun, probed, sampled, toServerStatus } from "./status.ts";

export type { ServerContext } from "./server_context.ts";

/** The server of one profile, created and driven by the supervisor. */
export class ManagedServer {
  readonly id: number;
  readonly log: ServerLog;
  readonly #ctx: ServerContext;
  readonly #driver: ProcessDriver;
  readonly #gate: RequestGate;
  /** The server as the memory budget sees it. */
  readonly seeker: RoomSeeker;
  readonly #restarts = new CrashRestarts();
  readonly #charge: ServerCharge;
  #profile: Profile;
  #machine: MachineState;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #events: MachineEvent[] = [];
  #settled: (() => void)[] = [];
  #forceStop = false;
  #closed = false;

  constructor(ctx: ServerContext, profile: Profile) {
    this.#ctx = ctx;
    this.id = profile.id;
    this.#profile = profile;
    this.#machine = initialState(profile.max_concurrency ?? 1);
    this.log = new ServerLog(logPathOf(ctx.config.dataDir, profile.id));
    this.#charge = new ServerCharge(() => estimateFootprint(this.#profile.model_path, ctx.config.hfHubCache));
    this.seeker = this.#charge.seeker({
      id: this.id,
      wanted: () => !this.#closed && this.state === "starting" && this.#machine.waiting > 0,
      live: () => this.live,
      idle: () => this.state === "running" && isIdle(this.#machine),
      keepLoaded: () => this.#profile.keep_loaded === true,
      evict: () => this.evict(),
    });
    const driver = this.#driver = new ProcessDriver(ctx, profile, this.log, {
      send: (event) => this.#dispatch(event),
      state: () => this.state,
      failing: () => this.#machine.failure !== null,
      closed: () => this.#closed,
      forRequests: () => this.#machine.waiting > 0,
      seeker: this.seeker,
      launched: (p) => this.refresh(p),
    });
    this.#gate = new RequestGate({
      id: this.id,
      get baseUrl() {
        return driver.baseUrl;
      },
      profile: () => this.#profile,
      machine: () => this.#machine,
      send: (event) => this.#dispatch(event),
      startTimeout: ctx.config.startTimeout,
      released: (kind) => {
        if (kind === "ended") this.#charge.lastUsed = performance.now();
        ctx.roomChanged();
      },
    });
  }

  get state(): ServerState {
    return this.#machine.phase;
  }
  get pid(): number | null {
    return this.#driver.facts.pid;
  }
  get baseUrl(): string {
    return this.#driver.baseUrl;
  }
  /** Whether a process exists (starting, running or stopping). */
  get live(): boolean {
    return this.#driver.live;
  }
  /** The port the live process holds, else null. */
  get livePort(): number | null {
    return this.live ? this.#driver.facts.port : null;
  }

  /** Takes the profile's settings at once; the address only while no process runs. */
  refresh(profile: Profile): void {
    const idleChanged = profile.idle_timeout !== this.#profile.idle_timeout;
    this.#profile = profile;
    if (!this.live) Object.assign(this.#driver.facts, { host: profile.host, port: profile.port });
    const maxConcurrency = profile.max_concurrency ?? 1;
    if (maxConcurrency !== this.#machine.maxConcurrency) {
      this.#dispatch({ type: "limits_changed", maxConcurrency });
    }
    if (idleChanged && this.state === "running" && isIdle(this.#machine)) {
      this.#apply({ type: "arm_idle_timer" });
    }
  }

  status(): ServerStatus {
    const { phase: state, inFlight, waiting: queued } = this.#machine;
    const run = { ...this.#driver.facts, restartAt: this.#restarts.at };
    return toServerStatus({
      profile: this.#profile,
      state,
      run,
      inFlight,
      queued,
      totalMemory: this.#ctx.totalMemory(),
    });
  }

  publish(): void {
    if (this.#closed) return;
    this.#ctx.bus.publish("server.update", this.status());
    if (this.state !== "starting") { for (const resolve of this.#settled.splice(0)) resolve(); }
  }

  /** Resolves once the server is no longer starting. */
  settled(): Promise<void> {
    return this.state === "starting"
      ? new Promise((resolve) => this.#settled.push(resolve))
      : Promise.resolve();
  }

  /** Starts the server unless it runs; concurrent calls share one start. Resolves once spawned. */
  async start(options: { automatic?: boolean } = {}): Promise<void> {
    if (this.#closed) throw shuttingDown();
    if (!options.automatic) this.#restarts.forget();
    this.#dispatch({ type: "start_requested" });
    if (this.state === "stopping") await this.#driver.ended;
    await this.#driver.spawning;
  }

  /** Waits in the queue for a slot, starting the server when it is not running (see `Supervisor.acquire`). */
  acquire(signal?: AbortSignal): Promise<Lease> {
    if (this.#closed) return Promise.reject(shuttingDown());
    if (this.state !== "running") this.#restarts.forget();
    return this.#gate.acquire(signal);
  }

  /** Stops an idle server to make room; resolves once it is gone (at once when it is busy). */
  async evict(): Promise<void> {
    this.#dispatch({ type: "evict" });
    if (this.state === "stopping") await this.#driver.ended;
  }

  /** Takes over a process recorded by an earlier run of the manager that is still alive. */
  async adopt(instance: ServerInstance): Promise<void> {
    this.#machine = { ...this.#machine, phase: instance.state };
    await this.#driver.adopt(instance);
    this.publish();
    if (instance.state !== "running") return;
    this.applyProbe(await this.#ctx.probe(this.baseUrl));
    this.publish();
  }

  /** Applies a health probe of the periodic sweep. */
  applyProbe(result: ProbeResult): void {
    if (this.state === "running") this.#driver.facts = probed(this.#driver.facts, result);
  }

  /** Applies the CPU and memory of the process tree (null when it was not found). */
  applyUsage(usage: TreeUsage | null): void {
    if (!this.live) return;
    this.#driver.facts = sampled(this.#driver.facts, usage);
    this.#charge.measured(usage?.rssBytes ?? 0);
  }

  /** Stops the server (SIGKILL at once with `force`), or clears a failure; false when nothing ran. */
  async stop(options: { force?: boolean } = {}): Promise<boolean> {
    await this.#driver.spawning?.catch(() => {});
    const was = this.state;
    if (was === "stopped") return false;
    if (was === "stopping" && options.force) this.#driver.kill();
    this.#forceStop = options.force ?? false;
    this.#dispatch({ type: "stop_requested" });
    if (was !== "failed" && was !== "crashed") await this.#driver.ended;
    return true;
  }

  /** Lets go: with `stopServer` the process is stopped first; otherwise it keeps running. */
  async close(stopServer: boolean): Promise<void> {
    this.#restarts.cancel();
    if (stopServer) {
      await this.#driver.spawning?.catch(() => {});
      if (this.live) await this.stop();
    }
    this.#closed = true;
    clearTimeout(this.#idleTimer);
    this.#gate.queue.rejectAll(shuttingDown());
    this.log.tail.stop();
    this.#driver.release();
    for (const resolve of this.#settled.splice(0)) resolve();
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
    switch (effect.type) {
      case "spawn": {
        this.#driver.spawn();
        const unreserve = () => this.#charge.reserved = false;
        return void this.#driver.spawning?.then(unreserve, unreserve);
      }
      case "terminate":
        this.#driver.terminate(this.#forceStop);
        this.#forceStop = false;
        return;
      case "admit":
        return this.#gate.admit(effect.count);
      case "reject_waiting":
        return this.#gate.queue.rejectAll(
          rejection(this.#profile.name, effect.error, this.#driver.facts.lastError),
        );
      case "arm_idle_timer":
      case "cancel_idle_timer": {
        clearTimeout(this.#idleTimer);
        const seconds = effect.type === "arm_idle_timer" ? this.#profile.idle_timeout ?? 0 : 0;
        if (seconds > 0) {
          this.#idleTimer = setTimeout(() => this.#dispatch({ type: "idle_timer_fired" }), seconds * 1000);
        }
        return;
      }
      case "schedule_restart":
        return this.#scheduleRestart();
      case "cancel_restart":
        return this.#restarts.cancel();
      case "reset_run":
        Object.assign(this.#driver.facts, freshRun());
        return this.#charge.newRun();
      case "record_end": {
        const reason = effect.reason;
        this.#driver.facts.lastError = reason === null ? null : this.log.withRunLines(reason);
        return;
      }
      case "released_memory":
        return this.#ctx.roomChanged();
    }
  }

  #scheduleRestart(): void {
    if (!findProfile(this.#ctx.db, this.id)?.restart_on_crash || this.#closed) return;
    const facts = this.#driver.facts;
    const restart = () =>
      this.start({ automatic: true }).catch((error) => {
        facts.lastError = `Restart failed: ${(error as Error).message}`;
        this.publish();
      });
    const refused = this.#restarts.afterCrash(restart, (text) => this.log.note(text));
    if (refused) facts.lastError += `\n${refused}`;
  }
}
