/**
 * One profile's model server: applies the effects of its state machine
 * (`machine.ts`) to a process run, its log, the database, timers and the
 * request queue. Every decision is the machine's; this only carries them out.
 *
 * @module
 */
import type { Db } from "../../db/mod.ts";
import { now } from "../../db/mod.ts";
import { findProfile, type Profile } from "../../db/profiles.ts";
import {
  deleteInstance,
  saveInstance,
  type ServerInstance,
  setInstanceState,
} from "../../db/server_instances.ts";
import type { Config } from "../../lib/config.ts";
import { AppError } from "../../lib/errors.ts";
import type { ServerState, ServerStatus } from "../../lib/event_types.ts";
import type { Logger } from "../../lib/logger.ts";
import type { EventBus } from "../events.ts";
import { serverUrl } from "../platform/dial.ts";
import type { TreeUsage } from "../platform/processes.ts";
import { Admission, QUEUE_TIMEOUT_RETRY_AFTER, queueFullError } from "./admission.ts";
import type { LoadedServer } from "./budget.ts";
import { buildLaunchCommand } from "./command.ts";
import { estimateFootprint } from "./footprint.ts";
import { nextHealth, type ProbeResult } from "./health.ts";
import { HeldLease, type Lease } from "./lease.ts";
import {
  type Effect,
  initialState,
  isIdle,
  type MachineEvent,
  type MachineState,
  type RejectReason,
  transition,
} from "./machine.ts";
import { preflight, problemError } from "./preflight.ts";
import { ProcessRun, type RunExit } from "./process_run.ts";
import { restartAfterCrash } from "./restart.ts";
import { logPathOf, ServerLog } from "./server_log.ts";
import { freshRun, noRun, type RunFacts, toServerStatus } from "./status.ts";
import type { ServerInfoSource } from "./server_info.ts";

export { CRASH_WINDOW_MS, MAX_CRASHES, RESTART_BASE_MS, restartAfterCrash } from "./restart.ts";

/** What every managed server shares, provided by the supervisor. */
export interface ServerContext {
  db: Db;
  bus: EventBus;
  config: Config;
  logger: Logger;
  serverInfo: ServerInfoSource;
  /** Probes `/health` of a base URL with the configured timeout. */
  probe(baseUrl: string): Promise<ProbeResult>;
  /** The profile whose live server holds `port`, other than `profileId`. */
  portHolder(profileId: number, port: number): string | null;
  /** Total memory of this machine in bytes. */
  totalMemory(): number;
  /** Before a start for requests: stops idle servers or waits until this one fits the budget. */
  makeRoom(server: ManagedServer): Promise<void>;
  /** A lease ended or a server stopped: room may have been freed. */
  roomChanged(): void;
}

const SHUTTING_DOWN = () => new AppError("unavailable", "MLX Manager is shutting down");

function describeExit({ code, signal }: RunExit): string {
  if (signal) return `was killed by ${signal}`;
  if (code !== null) return `exited with code ${code}`;
  return "ended (its exit status is unknown: it was adopted after a manager restart)";
}

/**
 * The server of one profile. Created and driven by the supervisor.
 *
 * @example
 * ```ts
 * const server = new ManagedServer(ctx, profile);
 * await server.start(); // spawned: state "starting"
 * using lease = await server.acquire(); // once running
 * ```
 */
export class ManagedServer {
  readonly id: number;
  readonly log: ServerLog;
  #ctx: ServerContext;
  #profile: Profile;
  #machine: MachineState;
  #run: ProcessRun | null = null;
  #ended: Promise<void> = Promise.resolve();
  #facts: RunFacts;
  #queue = new Admission();
  #timers: Record<"ready" | "idle" | "restart", ReturnType<typeof setTimeout> | undefined> = {
    ready: undefined,
    idle: undefined,
    restart: undefined,
  };
  #crashes: number[] = [];
  #spawning: Promise<void> | null = null;
  #force = false;
  #events: MachineEvent[] = [];
  #settledWaiters: (() => void)[] = [];
  #budget = { reserved: false, lastUsed: 0, peakRss: 0, estimate: null as Promise<number> | null };
  #closed = false;

  constructor(ctx: ServerContext, profile: Profile) {
    this.#ctx = ctx;
    this.id = profile.id;
    this.#profile = profile;
    this.#machine = initialState(profile.max_concurrency ?? 1);
    this.#facts = noRun(profile);
    this.log = new ServerLog(logPathOf(ctx.config.dataDir, profile.id));
    // The "Uvicorn running on" line means the port just opened: check at once.
    this.log.tail.subscribe((line) => {
      if (this.state === "starting" && line.includes("Uvicorn running on")) this.#scheduleReadyCheck(0);
    });
  }

  get state(): ServerState {
    return this.#machine.phase;
  }
  get pid(): number | null {
    return this.#facts.pid;
  }
  get baseUrl(): string {
    return serverUrl(this.#facts.host, this.#facts.port);
  }
  /** Whether a process exists (starting, running or stopping). */
  get live(): boolean {
    return this.#facts.pid !== null;
  }
  /** The port the live process holds, else null. */
  get livePort(): number | null {
    return this.live ? this.#facts.port : null;
  }

  /** Takes the profile's current settings; the address only while no process runs. */
  refresh(profile: Profile): void {
    const idleChanged = profile.idle_timeout !== this.#profile.idle_timeout;
    this.#profile = profile;
    if (!this.live) Object.assign(this.#facts, { host: profile.host, port: profile.port });
    if (profile.max_concurrency !== this.#machine.maxConcurrency) {
      this.#dispatch({ type: "limits_changed", maxConcurrency: profile.max_concurrency ?? 1 });
    }
    if (idleChanged && this.state === "running" && isIdle(this.#machine)) {
      this.#apply({ type: "arm_idle_timer" });
    }
  }

  status(): ServerStatus {
    const m = this.#machine;
    return toServerStatus({
      profile: this.#profile,
      state: m.phase,
      run: this.#facts,
      inFlight: m.inFlight,
      queued: m.waiting,
      totalMemory: this.#ctx.totalMemory(),
    });
  }

  publish(): void {
    if (this.#closed) return;
    this.#ctx.bus.publish("server.update", this.status());
    if (this.state !== "starting") { for (const resolve of this.#settledWaiters.splice(0)) resolve(); }
  }

  /** Resolves once the server is no longer starting. */
  settled(): Promise<void> {
    if (this.state !== "starting") return Promise.resolve();
    return new Promise((resolve) => this.#settledWaiters.push(resolve));
  }

  /** Starts the server unless it runs; concurrent calls share one start. Resolves once spawned. */
  async start(options: { automatic?: boolean } = {}): Promise<void> {
    if (this.#closed) throw SHUTTING_DOWN();
    if (!options.automatic) this.#crashes = [];
    this.#dispatch({ type: "start_requested" });
    if (this.state === "stopping") await this.#ended;
    await this.#spawning;
  }

  /**
   * Waits for a slot of the server, starting it when it is not running.
   *
   * @throws {AppError} `rate_limited` (`queue_full`) when the queue is full;
   *   `unavailable` when the wait times out (`queue_timeout`) or the start
   *   fails (`model_start_failed`); the signal's reason when it aborts
   */
  async acquire(signal?: AbortSignal): Promise<Lease> {
    if (this.#closed) throw SHUTTING_DOWN();
    signal?.throwIfAborted();
    const p = this.#profile;
    const m = this.#machine;
    if (m.waiting + m.inFlight >= m.maxConcurrency + (p.queue_size ?? 100)) {
      throw queueFullError(p.name, m.waiting);
    }
    const cold = m.phase !== "running";
    const queueTimeout = p.queue_timeout ?? 300;
    const admitted = this.#queue.wait({
      timeoutMs: (queueTimeout + (cold ? this.#ctx.config.startTimeout : 0)) * 1000,
      cold,
      signal,
      timeoutError: () =>
        new AppError("unavailable", `Waited more than ${queueTimeout} s in the queue of "${p.name}"`, {
          reason: "queue_timeout",
          retryAfter: QUEUE_TIMEOUT_RETRY_AFTER,
        }),
      onLeave: () => {
        this.#dispatch({ type: "request_left" });
        this.#ctx.roomChanged();
      },
    });
    if (cold && !m.waiting) this.#crashes = [];
    this.#dispatch({ type: "request_arrived" });
    const waiter = await admitted;
    const facts = { profileId: this.id, baseUrl: this.baseUrl, coldStart: waiter.cold };
    return new HeldLease({ ...facts, queueMs: Math.round(performance.now() - waiter.since) }, () => {
      this.#budget.lastUsed = performance.now();
      this.#dispatch({ type: "request_ended" });
      this.#ctx.roomChanged();
    });
  }

  /** Stops an idle server to make room; resolves once it is gone (at once when it is busy). */
  async evict(): Promise<void> {
    this.#dispatch({ type: "evict" });
    if (this.state === "stopping") await this.#ended;
  }

  /** How the memory budget sees this server, or null when it holds no memory. */
  async budgetView(): Promise<LoadedServer | null> {
    if (!this.live && !this.#budget.reserved) return null;
    return {
      id: this.id,
      charge: Math.max(await this.estimate(), this.#budget.peakRss),
      idle: this.state === "running" && isIdle(this.#machine),
      keepLoaded: this.#profile.keep_loaded === true,
      lastUsed: this.#budget.lastUsed,
    };
  }

  /** The expected footprint of the profile's model (weights plus context), read once. */
  estimate(): Promise<number> {
    return this.#budget.estimate ??= estimateFootprint(this.#profile.model_path, this.#ctx.config.hfHubCache);
  }

  /** Counts this server as loaded while it starts (the supervisor's budget lock holds). */
  reserve(): void {
    this.#budget.reserved = true;
  }

  /** Whether requests still wait for this start. */
  get wanted(): boolean {
    return !this.#closed && this.state === "starting" && this.#machine.waiting > 0;
  }

  /** Takes over a process recorded by an earlier run of the manager that is still alive. */
  async adopt(instance: ServerInstance): Promise<void> {
    const run = ProcessRun.adopt(instance.pid);
    this.#run = run;
    this.#facts = {
      ...noRun(instance),
      pid: instance.pid,
      startedAt: instance.startedAt,
      readyAt: instance.readyAt,
    };
    this.#machine = { ...this.#machine, phase: instance.state };
    await this.log.adopt(instance.logPath);
    this.log.note(`Adopted the running process ${instance.pid} after a manager restart`);
    this.#watchExit(run);
    this.publish();
    if (instance.state === "starting") this.#scheduleReadyCheck(0);
    if (instance.state === "stopping") this.#apply({ type: "terminate" });
    if (instance.state === "running") {
      this.applyProbe(await this.#ctx.probe(this.baseUrl));
      this.publish();
    }
  }

  /** Applies a health probe of the periodic sweep. */
  applyProbe(result: ProbeResult): void {
    if (this.state !== "running") return;
    const next = nextHealth(this.#facts, result);
    Object.assign(this.#facts, next, { responseMs: result.ok ? result.ms : this.#facts.responseMs });
  }

  /** Applies the CPU and memory of the process tree (null when it was not found). */
  applyUsage(usage: TreeUsage | null): void {
    if (!this.live) return;
    this.#facts.cpu = usage?.cpuPercent ?? null;
    this.#facts.rss = usage?.rssBytes ?? null;
    this.#budget.peakRss = Math.max(this.#budget.peakRss, usage?.rssBytes ?? 0);
  }

  /**
   * Stops the server: SIGTERM to its group, SIGKILL after the stop timeout (at
   * once with `force`). Clears a failure. False when there was nothing to stop.
   */
  async stop(options: { force?: boolean } = {}): Promise<boolean> {
    await this.#spawning?.catch(() => {});
    const was = this.state;
    if (was === "stopped") return false;
    if (was === "stopping") {
      if (options.force) this.#run?.kill();
      await this.#ended;
      return true;
    }
    this.#force = options.force ?? false;
    this.#dispatch({ type: "stop_requested" });
    if (was === "starting" || was === "running") await this.#ended;
    return true;
  }

  /** Lets go: with `stopServer` the process is stopped first; otherwise it keeps running. */
  async close(stopServer: boolean): Promise<void> {
    clearTimeout(this.#timers.restart);
    if (stopServer) {
      await this.#spawning?.catch(() => {});
      if (this.live) await this.stop();
    }
    this.#closed = true;
    for (const timer of Object.values(this.#timers)) clearTimeout(timer);
    this.#queue.rejectAll(SHUTTING_DOWN());
    this.log.tail.stop();
    this.#run?.release();
    for (const resolve of this.#settledWaiters.splice(0)) resolve();
  }

  // Events are handled one at a time, in order, even when an effect raises another.
  #dispatch(event: MachineEvent): void {
    this.#events.push(event);
    if (this.#events.length > 1) return;
    let publish = false;
    while (this.#events.length) {
      const before = this.#machine;
      const { state, effects } = transition(before, this.#events[0]);
      this.#machine = state;
      // The queue and in-flight counts are shown live; several changes in one turn publish once.
      publish ||= state.waiting !== before.waiting || state.inFlight !== before.inFlight;
      for (const effect of effects) {
        if (effect.type === "publish") publish = true;
        else this.#apply(effect);
      }
      this.#events.shift();
    }
    if (publish) this.publish();
  }

  #apply(effect: Effect): void {
    const timers = this.#timers;
    switch (effect.type) {
      case "spawn":
        this.#spawning = this.#spawn().finally(() => this.#spawning = null);
        this.#spawning.catch(() => {});
        return;
      case "terminate":
        return this.#terminate();
      case "admit":
        this.#queue.admit(effect.count);
        for (let i = 0; i < effect.count; i++) this.#dispatch({ type: "request_admitted" });
        return;
      case "reject_waiting":
        return this.#queue.rejectAll(this.#rejection(effect.error));
      case "arm_idle_timer": {
        clearTimeout(timers.idle);
        timers.idle = undefined;
        const seconds = this.#profile.idle_timeout ?? 0;
        if (seconds > 0) {
          timers.idle = setTimeout(() => this.#dispatch({ type: "idle_timer_fired" }), seconds * 1000);
        }
        return;
      }
      case "cancel_idle_timer":
        clearTimeout(timers.idle);
        timers.idle = undefined;
        return;
      case "schedule_restart":
        return this.#scheduleRestart();
      case "cancel_restart":
        clearTimeout(timers.restart);
        this.#facts.restartAt = null;
        return;
      case "reset_run":
        Object.assign(this.#facts, freshRun());
        this.#budget.peakRss = 0;
        return;
      case "record_end":
        this.#facts.lastError = effect.reason === null ? null : this.log.withRunLines(effect.reason);
        return;
      case "released_memory":
        return this.#ctx.roomChanged();
      case "publish":
        return this.publish();
    }
  }

  #rejection(why: RejectReason): unknown {
    const name = this.#profile.name;
    if ("error" in why) {
      const error = why.error;
      if (error instanceof AppError && error.code === "unavailable") return error;
      const message = error instanceof Error ? error.message : String(error);
      return new AppError("unavailable", `"${name}" could not start: ${message}`, {
        reason: "model_start_failed",
        cause: error,
      });
    }
    const message = why.reason === "model_stopped" ? why.message : this.#facts.lastError ?? why.message;
    return new AppError("unavailable", `"${name}": ${message}`, { reason: why.reason });
  }

  async #spawn(): Promise<void> {
    const { db, config, serverInfo, logger } = this.#ctx;
    try {
      const profile = findProfile(db, this.id);
      if (!profile) throw new AppError("not_found", "Profile not found");
      this.refresh(profile);
      const command = buildLaunchCommand(profile, await serverInfo.get(), {
        hfHome: config.hfHome,
        hfHubCache: config.hfHubCache,
        offline: config.offline,
      });
      if (this.#machine.waiting > 0) await this.#ctx.makeRoom(this);
      const problem = await preflight(profile, (port) => this.#ctx.portHolder(this.id, port));
      if (problem) throw problemError(problem);
      if (this.#closed) throw SHUTTING_DOWN();
      await this.log.beginRun();
      if (this.state !== "starting") {
        return this.#dispatch({ type: "exited", how: "was stopped before it started" });
      }
      const args = [command.executable, ...command.args];
      this.log.note(`Starting: ${args.join(" ")}`);
      // Least privilege: the server sees only the variables it needs, never the manager's secrets.
      const env = { ...config.serverEnv, ...command.env };
      const run = ProcessRun.spawn({ ...command, env }, this.log.path, config.dataDir);
      this.#run = run;
      const startedAt = now();
      Object.assign(this.#facts, {
        pid: run.pid,
        host: profile.host,
        port: profile.port,
        startedAt,
        readyAt: null,
      });
      saveInstance(db, {
        profileId: this.id,
        pid: run.pid,
        host: profile.host,
        port: profile.port,
        command: args,
        logPath: this.log.path,
        state: "starting",
        startedAt,
        readyAt: null,
      });
      this.#watchExit(run);
      logger.info("Model server starting", { profile: this.id, pid: run.pid, port: profile.port });
      this.#dispatch({ type: "spawned" });
      this.#scheduleReadyCheck(100);
    } catch (error) {
      if (this.state === "stopping") this.#dispatch({ type: "exited", how: "was stopped before it started" });
      else this.#dispatch({ type: "spawn_failed", error });
      throw error;
    } finally {
      this.#budget.reserved = false;
    }
  }

  #watchExit(run: ProcessRun): void {
    let done!: () => void;
    this.#ended = new Promise((resolve) => done = resolve);
    run.exited.then(async (exit) => {
      if (run !== this.#run || this.#closed) return done();
      clearTimeout(this.#timers.ready);
      await this.log.end();
      const how = describeExit(exit);
      this.log.note(`The process ${how}`);
      deleteInstance(this.#ctx.db, this.id);
      this.#run = null;
      Object.assign(this.#facts, {
        pid: null,
        cpu: null,
        rss: null,
        health: "unknown",
        missed: 0,
        responseMs: null,
      });
      Object.assign(this.#facts, { exitCode: exit.code, exitSignal: exit.signal });
      this.#dispatch({ type: "exited", how });
      this.#ctx.logger.info("Model server exited", {
        profile: this.id,
        pid: run.pid,
        how,
        state: this.state,
      });
      done();
    });
  }

  #terminate(): void {
    const run = this.#run;
    // Not spawned yet: the spawn sees the stop and ends the run (a wait for room ends too).
    if (!run) return this.#ctx.roomChanged();
    setInstanceState(this.#ctx.db, this.id, "stopping");
    const force = this.#force;
    this.#force = false;
    void run.terminate({ force, graceSeconds: this.#ctx.config.stopTimeout, note: (t) => this.log.note(t) });
  }

  #scheduleReadyCheck(delayMs: number): void {
    clearTimeout(this.#timers.ready);
    this.#timers.ready = setTimeout(() => void this.#checkReady(), delayMs);
  }

  async #checkReady(): Promise<void> {
    if (this.state !== "starting" || this.#closed || this.#machine.failure || !this.live) return;
    const { startTimeout } = this.#ctx.config;
    if (Date.now() > Date.parse(this.#facts.startedAt!) + startTimeout * 1000) {
      const reason = `Did not become ready within ${startTimeout} s`;
      this.log.note(`${reason}: stopping it`);
      return this.#dispatch({ type: "deadline", reason });
    }
    const result = await this.#ctx.probe(this.baseUrl);
    if (this.state !== "starting" || this.#machine.failure) return;
    if (!result.ok) return this.#scheduleReadyCheck(250);
    Object.assign(this.#facts, { readyAt: now(), health: "healthy", responseMs: result.ms });
    setInstanceState(this.#ctx.db, this.id, "running", this.#facts.readyAt!);
    this.#ctx.logger.info("Model server ready", { profile: this.id, pid: this.pid });
    this.#dispatch({ type: "ready" });
  }

  #scheduleRestart(): void {
    if (!findProfile(this.#ctx.db, this.id)?.restart_on_crash || this.#closed) return;
    const at = Date.now();
    const { crashes, delayMs } = restartAfterCrash(this.#crashes, at);
    this.#crashes = crashes;
    if (delayMs === null) {
      this.#facts.lastError += `\nNot restarting: it crashed ${crashes.length} times within 10 minutes`;
      return;
    }
    this.#facts.restartAt = new Date(at + delayMs).toISOString();
    this.log.note(`Restarting in ${delayMs / 1000} s`);
    this.#timers.restart = setTimeout(() => {
      this.#facts.restartAt = null;
      this.start({ automatic: true }).catch((error) => {
        this.#facts.lastError = `Restart failed: ${(error as Error).message}`;
        this.publish();
      });
    }, delayMs);
  }
}
