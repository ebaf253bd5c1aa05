/**
 * The process driver of one profile's server: launches, adopts, watches and
 * terminates its process runs, waits for readiness, and keeps the run's facts
 * and its database record. It decides nothing: it tells the state machine
 * what happened (`spawned`, `ready`, `deadline`, `exited`, `spawn_failed`).
 *
 * @module
 */
import { now } from "../../db/mod.ts";
import type { Profile } from "../../db/profiles.ts";
import { deleteInstance, type ServerInstance, setInstanceState } from "../../db/server_instances.ts";
import type { ServerState } from "../../lib/event_types.ts";
import { serverUrl } from "../platform/dial.ts";
import type { ProbeResult } from "./health.ts";
import { launch } from "./launch.ts";
import { isProfileProblem } from "./preflight.ts";
import type { MachineEvent } from "./machine.ts";
import { ProcessRun } from "./process_run.ts";
import { Readiness } from "./readiness.ts";
import type { RoomSeeker } from "./room.ts";
import { describeExit, type ServerContext } from "./server_context.ts";
import type { ServerLog } from "./server_log.ts";
import { noRun, probed, type RunFacts, sampled } from "./status.ts";
import type { TreeUsage } from "../platform/processes.ts";
import type { ServerQueueStats } from "../../lib/event_types.ts";
import { servedNameOf } from "./command.ts";
import { versionAtLeast } from "../../lib/server_features.ts";

/** What the driver needs of its server. */
export interface DriverHooks {
  /** Tells the state machine what happened. */
  send(event: MachineEvent): void;
  state(): ServerState;
  /** The run is being ended as failed (its deadline passed): a late answer does not count. */
  failing(): boolean;
  closed(): boolean;
  /** Requests wait for this start (room in the budget is needed first). */
  forRequests(): boolean;
  seeker: RoomSeeker;
  /** The profile as the launch read it. */
  launched(profile: Profile): void;
  /** A measured resident size of the process tree. */
  measured(rssBytes: number): void;
}

const NOT_STARTED = "was stopped before it started";

/** 1.8's line at the first request after its model process died. */
const DEAD_MODEL = /is dead \(exit code (-?\d+)\)/;

/** Why a running server is ended when its model process is gone. */
export function modelDeathReason(pid: number | null, exitCode: string | null): string {
  const which = pid === null ? "The model process" : `The model process (pid ${pid})`;
  const how = exitCode === null ? "ended" : `ended with exit code ${exitCode}`;
  return `${which} ${how} while the server kept running`;
}

/**
 * Drives the processes of one server.
 *
 * @example
 * ```ts
 * const driver = new ProcessDriver(ctx, profile, log, hooks);
 * driver.spawn(); // later: hooks.send({ type: "spawned" }), then { type: "ready" }
 * ```
 */
export class ProcessDriver {
  readonly #ctx: ServerContext;
  readonly #id: number;
  readonly #log: ServerLog;
  readonly #hooks: DriverHooks;
  readonly #readiness: Readiness;
  /** The facts of the current or last run (shown in the status). */
  facts: RunFacts;
  #run: ProcessRun | null = null;
  /** The run's model runs in a child process (1.8): a change of its process tree means it died. */
  #modelInChild = false;
  /** The direct children seen at the first sweep of the running server, watched from then on. */
  #children: Set<number> | null = null;
  /** Resolves once the current run's exit has been handled. */
  ended: Promise<void> = Promise.resolve();
  /** The launch under way, if any. */
  spawning: Promise<void> | null = null;
  /** The command line of the process that runs now (the executable first), or null. */
  command: string[] | null = null;

  constructor(ctx: ServerContext, profile: Profile, log: ServerLog, hooks: DriverHooks) {
    this.#ctx = ctx;
    this.#id = profile.id;
    this.#log = log;
    this.#hooks = hooks;
    this.facts = noRun(profile);
    this.#readiness = new Readiness(ctx.config.startTimeout, {
      probe: () => ctx.probe(this.baseUrl),
      pending: () => !hooks.closed() && hooks.state() === "starting" && !hooks.failing() && this.live,
      ready: (result) => this.#ready(result),
      missed: (reason) => {
        log.note(`${reason}: stopping it`);
        hooks.send({ type: "deadline", reason });
      },
    });
    // The "Uvicorn running on" line means the port just opened: check at once.
    log.tail.subscribe((line) => {
      if (line.includes("Uvicorn running on")) this.#readiness.check();
      const dead = DEAD_MODEL.exec(line);
      if (dead && this.#modelInChild) this.#modelDied(null, dead[1]);
    });
  }

  get live(): boolean {
    return this.facts.pid !== null;
  }

  /** The run's model is in a child process (1.8), which reports its own batch figures. */
  get modelInChild(): boolean {
    return this.#modelInChild;
  }

  get baseUrl(): string {
    return serverUrl(this.facts.host, this.facts.port);
  }

  /** Launches a run; the outcome reaches the machine as `spawned` or `spawn_failed`. */
  spawn(): void {
    this.spawning = this.#spawn().finally(() => this.spawning = null);
    this.spawning.catch(() => {});
  }

  async #spawn(): Promise<void> {
    const hooks = this.#hooks;
    try {
      const launched = await launch(this.#ctx, {
        id: this.#id,
        log: this.#log,
        forRequests: hooks.forRequests(),
        seeker: hooks.seeker,
        stillStarting: () => hooks.state() === "starting",
        closed: hooks.closed,
      });
      if (!launched) return hooks.send({ type: "exited", how: NOT_STARTED });
      const { run, profile, startedAt, command } = launched;
      this.command = command;
      hooks.launched(profile);
      Object.assign(this.facts, {
        pid: run.pid,
        host: profile.host,
        port: profile.port,
        startedAt,
        readyAt: null,
        servedModel: launched.servedModel,
      });
      this.#modelInChild = launched.modelInChild;
      this.#children = null;
      this.#watch(run);
      hooks.send({ type: "spawned" });
      this.#readiness.begin(Date.parse(startedAt), 100);
    } catch (error) {
      hooks.send(
        hooks.state() === "stopping" ? { type: "exited", how: NOT_STARTED } : {
          type: "spawn_failed",
          error,
          failed: isProfileProblem(error) ? (error as Error).message : undefined,
        },
      );
      throw error;
    }
  }

  /**
   * Takes over a process an earlier manager recorded and that is still alive;
   * `adopted` runs once it is watched, before a running one is probed.
   */
  async adopt(instance: ServerInstance, adopted: () => void): Promise<void> {
    const { pid, startedAt, readyAt } = instance;
    this.command = instance.command;
    this.facts = { ...noRun(instance), pid, startedAt, readyAt, servedModel: servedNameOf(instance.command) };
    this.#modelInChild = versionAtLeast((await this.#ctx.serverInfo.get()).version, "1.8.0");
    this.#children = null;
    await this.#log.adopt(instance.logPath);
    this.#log.note(`Adopted the running process ${pid} after a manager restart`);
    this.#watch(ProcessRun.adopt(pid, (t) => this.#log.note(t)));
    adopted();
    if (instance.state === "starting") this.#readiness.begin(Date.parse(startedAt), 0);
    if (instance.state === "stopping") this.terminate(false);
    if (instance.state === "running") this.applySweep(undefined, await this.#ctx.probe(this.baseUrl));
  }

  /**
   * Takes what the sweep read into the facts: the CPU and memory of the
   * process tree (null: not found; undefined: not sampled) and, for a running
   * server, its health probe.
   */
  applySweep(
    usage: TreeUsage | null | undefined,
    probe: ProbeResult | undefined,
    queue?: ServerQueueStats | null,
  ): void {
    if (!this.live) return;
    if (usage !== undefined) this.facts = sampled(this.facts, usage);
    const running = this.#hooks.state() === "running";
    if (probe && running) this.facts = probed(this.facts, probe);
    if (queue !== undefined && running) this.facts.serverQueue = queue;
    this.#hooks.measured(usage?.rssBytes ?? 0);
    if (usage && running) this.#checkChildren(usage.children);
  }

  /**
   * The model processes of a running 1.8 server (its direct children): those
   * seen at the first sweep are watched, and one that is gone means the
   * model died (its server would answer `/health` and leave requests waiting).
   */
  #checkChildren(children: readonly number[]): void {
    if (!this.#modelInChild) return;
    if (this.#children === null) {
      if (children.length > 0) this.#children = new Set(children);
      return;
    }
    const now = new Set(children);
    const gone = [...this.#children].find((pid) => !now.has(pid));
    if (gone !== undefined) this.#modelDied(gone, null);
  }

  #modelDied(pid: number | null, exitCode: string | null): void {
    if (this.#hooks.state() !== "running") return;
    const reason = modelDeathReason(pid, exitCode);
    this.#log.note(`${reason}: ending the server so the next request gets a new one`);
    this.#ctx.logger.warn("A model process died", { profile: this.#id, pid: this.facts.pid, child: pid });
    this.#hooks.send({ type: "model_died", reason });
  }

  /** SIGTERM (SIGKILL with `force`), SIGKILL after the stop timeout; the exit reaches the machine. */
  terminate(force: boolean): void {
    const run = this.#run;
    // Not spawned yet: the launch sees the stop and ends the run (a wait for room ends too).
    if (!run) return this.#ctx.roomChanged();
    setInstanceState(this.#ctx.db, this.#id, "stopping");
    void run.terminate({ force, graceSeconds: this.#ctx.config.stopTimeout, note: (t) => this.#log.note(t) });
  }

  /**
   * Looks whether an adopted process is still there (it is otherwise polled):
   * one killed outside the manager has its exit handled before this resolves,
   * so a request arriving just after starts it again instead of failing.
   */
  async checkExit(): Promise<void> {
    if (this.#run?.checkNow()) await this.ended;
  }

  /** SIGKILL now (a forced stop of a server already stopping). */
  kill(): void {
    this.#run?.kill();
  }

  /** Lets go of the run without stopping it. */
  release(): void {
    this.#readiness.cancel();
    this.#run?.release();
  }

  #ready(result: ProbeResult): void {
    Object.assign(this.facts, { readyAt: now(), health: "healthy", responseMs: result.ms });
    setInstanceState(this.#ctx.db, this.#id, "running", this.facts.readyAt!);
    this.#ctx.logger.info("Model server ready", { profile: this.#id, pid: this.facts.pid });
    this.#hooks.send({ type: "ready" });
  }

  #watch(run: ProcessRun): void {
    this.#run = run;
    let done!: () => void;
    this.ended = new Promise((resolve) => done = resolve);
    run.exited.then(async (exit) => {
      if (run !== this.#run || this.#hooks.closed()) return done();
      this.#readiness.cancel();
      await this.#log.end();
      const how = describeExit(exit);
      this.#log.note(`The process ${how}`);
      deleteInstance(this.#ctx.db, this.#id);
      this.#run = null;
      this.command = null;
      const cleared = {
        pid: null,
        cpu: null,
        rss: null,
        health: "unknown",
        missed: 0,
        responseMs: null,
        serverQueue: null,
      };
      this.#children = null;
      Object.assign(this.facts, cleared, { exitCode: exit.code, exitSignal: exit.signal });
      this.#hooks.send({ type: "exited", how });
      this.#ctx.logger.info("Model server exited", { profile: this.#id, pid: run.pid, how });
      done();
    });
  }
}
