/**
 * One profile's model server: its process, its state machine
 * (`stopped → starting → running`, `failed`, `crashed`, `stopping`), its
 * readiness and health, its log, and restarts after crashes.
 *
 * @module
 */
import { join } from "node:path";
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
import { HttpError } from "../../lib/errors.ts";
import type { ServerHealth, ServerState, ServerStatus } from "../../lib/event_types.ts";
import type { Logger } from "../../lib/logger.ts";
import type { EventBus } from "../events.ts";
import { buildLaunchCommand } from "./command.ts";
import { nextHealth, type ProbeResult } from "./health.ts";
import { LogTail } from "./logs.ts";
import type { TreeUsage } from "../platform/processes.ts";
import { serverUrl } from "../platform/dial.ts";
import { portProblem } from "./ports.ts";
import { isAlive, signalGroup, spawnInGroup, waitForGroupExit } from "./process.ts";
import type { ServerInfoSource } from "./server_info.ts";

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
  totalMemory: number;
}

/** Crashes within {@link CRASH_WINDOW_MS} after which automatic restarts stop. */
export const MAX_CRASHES = 5;
/** The window for {@link MAX_CRASHES}. */
export const CRASH_WINDOW_MS = 10 * 60_000;
/** The first restart delay; each further crash in the window doubles it. */
export const RESTART_BASE_MS = 1000;

/**
 * The restart policy after a crash at `at`: exponential backoff from
 * {@link RESTART_BASE_MS}, and no restart once {@link MAX_CRASHES} crashes fall
 * within {@link CRASH_WINDOW_MS}.
 *
 * @example
 * ```ts
 * restartAfterCrash([], Date.now()).delayMs; // 1000
 * restartAfterCrash([t1, t2, t3, t4], Date.now()).delayMs; // null: fifth crash in 10 minutes
 * ```
 */
export function restartAfterCrash(
  earlier: number[],
  at: number,
): { crashes: number[]; delayMs: number | null } {
  const crashes = [...earlier.filter((t) => at - t < CRASH_WINDOW_MS), at];
  if (crashes.length >= MAX_CRASHES) return { crashes, delayMs: null };
  return { crashes, delayMs: RESTART_BASE_MS * 2 ** (crashes.length - 1) };
}

const NOTE = "[mlx-manager]";

interface Run {
  exited: Promise<void>;
  resolve: () => void;
  handled: boolean;
}

function newRun(): Run {
  let resolve!: () => void;
  const exited = new Promise<void>((r) => resolve = r);
  return { exited, resolve, handled: false };
}

function describeExit(code: number | null, signal: string | null): string {
  if (signal) return `was killed by ${signal}`;
  if (code !== null) return `exited with code ${code}`;
  return "ended (its exit status is unknown: it was adopted after a manager restart)";
}

/** Waits for `promise` at most `ms`; true when it settled in time. The timer never outlives the wait. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(false), ms));
  try {
    return await Promise.race([promise.then(() => true), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The server of one profile. Created and driven by the supervisor.
 *
 * @example
 * ```ts
 * const server = new ManagedServer(ctx, profile);
 * await server.start(); // spawned: state "starting"
 * await server.settled(); // "running", or "failed" with the log tail in last_error
 * await server.stop();
 * ```
 */
export class ManagedServer {
  readonly id: number;
  readonly tail: LogTail = new LogTail();
  #ctx: ServerContext;
  #profile: Pick<Profile, "name" | "model_path" | "model_type" | "host" | "port">;
  #state: ServerState = "stopped";
  #health: ServerHealth = "unknown";
  #missed = 0;
  #responseMs: number | null = null;
  #pid: number | null = null;
  #host: string;
  #port: number;
  #child: Deno.ChildProcess | null = null;
  #run: Run | null = null;
  #logPath: string;
  #runMark = 0;
  #startedAt: string | null = null;
  #readyAt: string | null = null;
  #cpu: number | null = null;
  #rss: number | null = null;
  #lastError: string | null = null;
  #exitCode: number | null = null;
  #exitSignal: string | null = null;
  #failure: string | null = null;
  #crashes: number[] = [];
  #restartTimer: ReturnType<typeof setTimeout> | undefined;
  #restartAt: string | null = null;
  #readyTimer: ReturnType<typeof setTimeout> | undefined;
  #watchTimer: ReturnType<typeof setInterval> | undefined;
  #starting: Promise<void> | null = null;
  #waiters: (() => void)[] = [];
  #closed = false;

  constructor(ctx: ServerContext, profile: Profile) {
    this.#ctx = ctx;
    this.id = profile.id;
    this.#profile = profile;
    this.#host = profile.host;
    this.#port = profile.port;
    this.#logPath = join(ctx.config.dataDir, "logs", `server-${profile.id}.log`);
    // The "Uvicorn running on" line means the port just opened: check at once.
    this.tail.subscribe((line) => {
      if (this.#state === "starting" && line.includes("Uvicorn running on")) this.#scheduleReadyCheck(0);
    });
  }

  /** The current state. */
  get state(): ServerState {
    return this.#state;
  }

  /** The process id while a process exists. */
  get pid(): number | null {
    return this.#pid;
  }

  /** The log file. */
  get logPath(): string {
    return this.#logPath;
  }

  /** The URL of the server's HTTP API (without `/v1`). */
  get baseUrl(): string {
    return serverUrl(this.#host, this.#port);
  }

  /** Whether a process exists (starting, running or stopping). */
  get live(): boolean {
    return this.#pid !== null;
  }

  /** The port the live process holds, else null. */
  get livePort(): number | null {
    return this.live ? this.#port : null;
  }

  /** Takes the profile's current name, model and address (the address only while no process runs). */
  refresh(profile: Profile): void {
    this.#profile = profile;
    if (!this.live) {
      this.#host = profile.host;
      this.#port = profile.port;
    }
  }

  /** The status as the API and events show it. */
  status(): ServerStatus {
    const live = this.live;
    const uptime = live && this.#startedAt
      ? Math.max(0, (Date.now() - Date.parse(this.#startedAt)) / 1000)
      : null;
    return {
      profile_id: this.id,
      profile_name: this.#profile.name,
      model_path: this.#profile.model_path,
      model_type: this.#profile.model_type,
      state: this.#state,
      health: this.#health,
      missed_probes: this.#missed,
      managed_by: "manager",
      pid: this.#pid,
      host: this.#host,
      port: this.#port,
      started_at: live ? this.#startedAt : null,
      ready_at: live ? this.#readyAt : null,
      uptime_seconds: uptime === null ? null : Math.round(uptime),
      cpu_percent: this.#cpu,
      memory_bytes: this.#rss,
      memory_mb: this.#rss === null ? null : Math.round(this.#rss / 1048576 * 100) / 100,
      memory_percent: this.#rss === null ? null : Math.round(this.#rss / this.#ctx.totalMemory * 10000) / 100,
      response_time_ms: this.#responseMs,
      last_error: this.#lastError,
      exit_code: this.#exitCode,
      exit_signal: this.#exitSignal,
      restart_at: this.#restartAt,
      updated_at: new Date().toISOString(),
    };
  }

  /** Publishes the status as a `server.update` event. */
  publish(): void {
    if (this.#closed) return;
    this.#ctx.bus.publish("server.update", this.status());
    if (this.#state !== "starting") {
      for (const resolve of this.#waiters.splice(0)) resolve();
    }
  }

  /** Resolves once the server is no longer starting. */
  settled(): Promise<void> {
    if (this.#state !== "starting") return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /**
   * Starts the server unless it is starting or running already; concurrent
   * calls share one start. Resolves once the process is spawned.
   */
  start(options: { automatic?: boolean } = {}): Promise<void> {
    if (this.#starting) return this.#starting;
    if (this.#state === "starting" || this.#state === "running") return Promise.resolve();
    if (!options.automatic) this.#crashes = [];
    this.#cancelRestart();
    this.#starting = (async () => {
      if (this.#state === "stopping") await this.#run?.exited;
      await this.#launch();
    })().finally(() => this.#starting = null);
    return this.#starting;
  }

  async #launch(): Promise<void> {
    const { db, config, serverInfo } = this.#ctx;
    const profile = findProfile(db, this.id);
    if (!profile) throw new HttpError(404, "Profile not found");
    this.refresh(profile);
    const command = buildLaunchCommand(profile, await serverInfo.get(), {
      hfHome: config.hfHome,
      hfHubCache: config.hfHubCache,
      offline: config.offline,
    });
    const holder = this.#ctx.portHolder(this.id, profile.port);
    if (holder) {
      throw new HttpError(
        409,
        `Port ${profile.port} is used by the server of profile "${holder}": stop it first`,
        {
          fields: { port: "This port is in use" },
          code: "port_in_use",
        },
      );
    }
    const problem = await portProblem(profile.host, profile.port);
    if (problem === "in_use") {
      throw new HttpError(
        409,
        `Port ${profile.port} is in use by another process: stop that process or choose another port for this profile`,
        { fields: { port: "This port is in use" }, code: "port_in_use" },
      );
    }
    if (problem === "bad_host") {
      throw new HttpError(
        409,
        `${profile.host} is not an address of this machine: use 127.0.0.1 or 0.0.0.0`,
        {
          fields: { host: "Not an address of this machine" },
          code: "bad_host",
        },
      );
    }
    if (this.#closed) throw new HttpError(503, "MLX Manager is shutting down");

    await Deno.mkdir(join(config.dataDir, "logs"), { recursive: true });
    await rotate(this.#logPath);
    await Deno.writeTextFile(this.#logPath, "", { append: true });
    await this.tail.follow(this.#logPath);
    const commandLine = [command.executable, ...command.args];
    this.#note(`Starting: ${commandLine.join(" ")}`);
    this.#runMark = this.tail.total;

    const child = spawnInGroup(command, this.#logPath, config.dataDir);
    const run = newRun();
    this.#child = child;
    this.#run = run;
    this.#pid = child.pid;
    this.#host = profile.host;
    this.#port = profile.port;
    this.#startedAt = now();
    this.#readyAt = null;
    this.#resetRunFields();
    this.#state = "starting";
    saveInstance(db, {
      profileId: this.id,
      pid: child.pid,
      host: profile.host,
      port: profile.port,
      command: commandLine,
      logPath: this.#logPath,
      state: "starting",
      startedAt: this.#startedAt,
      readyAt: null,
    });
    child.status.then((s) => this.#onExit(run, s.signal ? null : s.code, s.signal ?? null));
    this.#ctx.logger.info("Model server starting", { profile: this.id, pid: child.pid, port: profile.port });
    this.publish();
    this.#scheduleReadyCheck(100);
  }

  #resetRunFields(): void {
    this.#lastError = null;
    this.#exitCode = null;
    this.#exitSignal = null;
    this.#failure = null;
    this.#health = "unknown";
    this.#missed = 0;
    this.#responseMs = null;
    this.#cpu = null;
    this.#rss = null;
  }

  /** Takes over a process recorded by an earlier run of the manager that is still alive. */
  async adopt(instance: ServerInstance): Promise<void> {
    this.#pid = instance.pid;
    this.#host = instance.host;
    this.#port = instance.port;
    this.#logPath = instance.logPath;
    this.#startedAt = instance.startedAt;
    this.#readyAt = instance.readyAt;
    this.#resetRunFields();
    this.#state = instance.state;
    this.#run = newRun();
    await this.tail.loadHistory(instance.logPath);
    await this.tail.follow(instance.logPath).catch(() => {});
    this.#note(`Adopted the running process ${instance.pid} after a manager restart`);
    this.#runMark = this.tail.total;
    this.#watchAdopted(250);
    this.publish();
    if (instance.state === "starting") this.#scheduleReadyCheck(0);
    if (instance.state === "stopping") void this.#terminate(false);
    if (instance.state === "running") {
      this.applyProbe(await this.#ctx.probe(this.baseUrl));
      this.publish();
    }
  }

  // A process the manager did not spawn cannot be awaited: poll whether it exists.
  #watchAdopted(ms: number): void {
    clearInterval(this.#watchTimer);
    const run = this.#run!;
    const pid = this.#pid!;
    this.#watchTimer = setInterval(() => {
      if (!isAlive(pid)) {
        clearInterval(this.#watchTimer);
        void this.#onExit(run, null, null);
      }
    }, ms);
  }

  #scheduleReadyCheck(delayMs: number): void {
    clearTimeout(this.#readyTimer);
    this.#readyTimer = setTimeout(() => void this.#checkReady(), delayMs);
  }

  async #checkReady(): Promise<void> {
    if (this.#state !== "starting" || this.#closed || this.#failure) return;
    const deadline = Date.parse(this.#startedAt!) + this.#ctx.config.startTimeout * 1000;
    if (Date.now() > deadline) {
      this.#failure = `Did not become ready within ${this.#ctx.config.startTimeout} s`;
      this.#note(`${this.#failure}: stopping it`);
      void this.#terminate(false);
      return;
    }
    const result = await this.#ctx.probe(this.baseUrl);
    if (this.#state !== "starting" || this.#failure) return;
    if (!result.ok) return this.#scheduleReadyCheck(250);
    this.#state = "running";
    this.#readyAt = now();
    this.#health = "healthy";
    this.#responseMs = result.ms;
    setInstanceState(this.#ctx.db, this.id, "running", this.#readyAt);
    this.#ctx.logger.info("Model server ready", { profile: this.id, pid: this.#pid });
    this.publish();
  }

  /** Applies a health probe of the periodic sweep. */
  applyProbe(result: ProbeResult): void {
    if (this.#state !== "running") return;
    const next = nextHealth({ health: this.#health, missed: this.#missed }, result);
    this.#health = next.health;
    this.#missed = next.missed;
    this.#responseMs = result.ok ? result.ms : this.#responseMs;
  }

  /** Applies the CPU and memory of the process tree (null when it was not found). */
  applyUsage(usage: TreeUsage | null): void {
    if (!this.live) return;
    this.#cpu = usage?.cpuPercent ?? null;
    this.#rss = usage?.rssBytes ?? null;
  }

  /**
   * Stops the server: SIGTERM to its process group, SIGKILL after the stop
   * timeout (at once with `force`). On a failed or crashed server it clears
   * the failure. False when there was nothing to stop.
   */
  async stop(options: { force?: boolean } = {}): Promise<boolean> {
    this.#cancelRestart();
    if (this.#starting) await this.#starting.catch(() => {});
    if (this.#state === "stopped") return false;
    if (this.#state === "failed" || this.#state === "crashed") {
      this.#state = "stopped";
      this.#lastError = null;
      this.publish();
      return true;
    }
    if (this.#state === "stopping") {
      if (options.force && this.#pid) signalGroup(this.#pid, "SIGKILL");
      await this.#run?.exited;
      return true;
    }
    this.#state = "stopping";
    setInstanceState(this.#ctx.db, this.id, "stopping");
    this.publish();
    await this.#terminate(options.force ?? false);
    return true;
  }

  async #terminate(force: boolean): Promise<void> {
    const pid = this.#pid;
    const run = this.#run;
    if (pid === null || run === null) return;
    const grace = this.#ctx.config.stopTimeout;
    this.#note(force ? "Stopping (SIGKILL)" : "Stopping (SIGTERM)");
    signalGroup(pid, force ? "SIGKILL" : "SIGTERM");
    if (!this.#child) this.#watchAdopted(50);
    if (await within(run.exited, grace * 1000)) return;
    this.#note(`Still running ${grace} s after SIGTERM: sending SIGKILL`);
    signalGroup(pid, "SIGKILL");
    await run.exited;
  }

  async #onExit(run: Run, code: number | null, signal: string | null): Promise<void> {
    if (run.handled || run !== this.#run || this.#closed) return;
    run.handled = true;
    const was = this.#state;
    const pid = this.#pid!;
    clearTimeout(this.#readyTimer);
    clearInterval(this.#watchTimer);
    // Children left in the group (a model subprocess) get a moment to end, then SIGKILL.
    if (isAlive(-pid)) {
      signalGroup(pid, "SIGTERM");
      if (!await waitForGroupExit(pid, 2000)) signalGroup(pid, "SIGKILL");
    }
    await this.tail.drain();
    this.tail.stop();
    const how = describeExit(code, signal);
    this.#note(`The process ${how}`);
    deleteInstance(this.#ctx.db, this.id);
    const lines = this.tail.since(this.#runMark).filter((l) => !l.startsWith(NOTE)).slice(-20);
    const withLog = (reason: string) => lines.length ? `${reason}\n${lines.join("\n")}` : reason;
    this.#pid = null;
    this.#child = null;
    this.#cpu = null;
    this.#rss = null;
    this.#health = "unknown";
    this.#missed = 0;
    this.#responseMs = null;
    this.#exitCode = code;
    this.#exitSignal = signal;
    if (this.#failure) {
      this.#state = "failed";
      this.#lastError = withLog(this.#failure);
    } else if (was === "stopping") {
      this.#state = "stopped";
      this.#lastError = null;
    } else if (was === "starting") {
      this.#state = "failed";
      this.#lastError = withLog(`The server ${how} before it was ready`);
    } else {
      this.#state = "crashed";
      this.#lastError = withLog(`The server ${how}`);
      this.#scheduleRestart();
    }
    this.#ctx.logger.info("Model server exited", { profile: this.id, pid, how, state: this.#state });
    this.publish();
    run.resolve();
  }

  #scheduleRestart(): void {
    const profile = findProfile(this.#ctx.db, this.id);
    if (!profile?.restart_on_crash || this.#closed) return;
    const at = Date.now();
    const { crashes, delayMs: delay } = restartAfterCrash(this.#crashes, at);
    this.#crashes = crashes;
    if (delay === null) {
      this.#lastError += `\nNot restarting: it crashed ${MAX_CRASHES} times within 10 minutes`;
      return;
    }
    this.#restartAt = new Date(at + delay).toISOString();
    this.#note(`Restarting in ${delay / 1000} s`);
    this.#restartTimer = setTimeout(() => {
      this.#restartAt = null;
      this.start({ automatic: true }).catch((error) => {
        this.#lastError = `Restart failed: ${(error as Error).message}`;
        this.publish();
      });
    }, delay);
  }

  #cancelRestart(): void {
    clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    this.#restartAt = null;
  }

  /** Adds a line of the manager's own to the log (file and buffer). */
  #note(text: string): void {
    const line = `${NOTE} ${new Date().toISOString()} ${text}`;
    this.tail.pushOwn(line);
    try {
      Deno.writeTextFileSync(this.#logPath, `${line}\n`, { append: true });
    } catch { /* the log folder is gone: the buffer still has it */ }
  }

  /**
   * Lets go: with `stopServer` the process is stopped first; otherwise it
   * keeps running (a later manager adopts it).
   */
  async close(stopServer: boolean): Promise<void> {
    this.#cancelRestart();
    if (stopServer) {
      await this.#starting?.catch(() => {});
      if (this.live) await this.stop();
    }
    this.#closed = true;
    clearTimeout(this.#readyTimer);
    clearInterval(this.#watchTimer);
    this.tail.stop();
    this.#child?.unref();
    for (const resolve of this.#waiters.splice(0)) resolve();
  }
}

/** Keeps one older log: a file over 20 MB becomes `.1` before a start. */
async function rotate(path: string, maxBytes = 20 * 1024 * 1024): Promise<void> {
  try {
    if ((await Deno.stat(path)).size > maxBytes) await Deno.rename(path, `${path}.1`);
  } catch { /* no log yet */ }
}
