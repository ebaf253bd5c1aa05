/**
 * The supervisor: owns every model-server process. It starts, stops and
 * restarts them, runs the health and metrics sweep, adopts servers that
 * outlived a manager crash, starts `auto_start` profiles, and stops everything
 * on a graceful shutdown.
 *
 * The typed API other areas use: {@link Supervisor.status}, {@link Supervisor.list},
 * {@link Supervisor.start}, {@link Supervisor.stop}, and the pure
 * {@link buildLaunchCommand}.
 *
 * @module
 */
import { findProfile, listProfiles, type Profile } from "../../db/profiles.ts";
import { systemClock } from "../../lib/clock.ts";
import { AppError } from "../../lib/errors.ts";
import type { ServerStatus } from "../../lib/event_types.ts";
import type { ExternalServers, SupervisorDeps } from "./deps.ts";
import { type HealthAnswer, probeHealth } from "./health.ts";
import type { LineListener } from "./logs.ts";
import { serverUrl } from "../platform/dial.ts";
import type { BudgetLimits } from "./budget.ts";
import { HeldLease, type Lease } from "./lease.ts";
import { RoomKeeper } from "./room.ts";
import { OutsideCharges } from "./outside.ts";
import { ManagedServer, type ServerContext } from "./server.ts";
import { noRun, toServerStatus } from "./status.ts";
import { logPathOf, ServerLog } from "./server_log.ts";
import { recoverServers } from "./recover.ts";
import { sweep } from "./sweep.ts";
import { promptCacheDirOf } from "./launch.ts";
import { servedModelName } from "./command.ts";

export { buildLaunchCommand, type LaunchCommand } from "./command.ts";
export type { ExternalServers, SupervisorDeps } from "./deps.ts";
export type { HealthAnswer } from "./health.ts";
export type { Lease } from "./lease.ts";
export type { ServerInfo } from "./server_info.ts";

/**
 * The supervisor service.
 *
 * @example
 * ```ts
 * const supervisor = new Supervisor({ db, bus, config, logger, serverInfo, runner, totalMemory });
 * await supervisor.start(profile.id, { wait: true });
 * supervisor.status(profile.id).state; // "running"
 * await supervisor.stop(profile.id);
 * ```
 */
export class Supervisor {
  readonly #deps: SupervisorDeps;
  readonly #servers = new Map<number, ManagedServer>();
  /** The logs of profiles that have no server (yet): log queries read these and create no server. */
  readonly #logs = new Map<number, ServerLog>();
  readonly #ctx: ServerContext;
  #client: Deno.HttpClient | null = null;
  #room = new RoomKeeper();
  readonly #outside: OutsideCharges;
  #closed = false;

  constructor(deps: SupervisorDeps) {
    this.#deps = deps;
    this.#outside = new OutsideCharges(deps.config.hfHubCache);
    const timeoutMs = deps.config.healthTimeout * 1000;
    this.#ctx = {
      ...deps,
      probe: (baseUrl) => probeHealth(baseUrl, timeoutMs, this.#httpClient()),
      portHolder: (profileId, port) => {
        for (const server of this.#servers.values()) {
          if (server.id !== profileId && server.live && server.driver.facts.port === port) {
            return server.status().profile_name;
          }
        }
        return null;
      },
      totalMemory: deps.totalMemory,
      // launchd's servers hold memory too: they are counted, never stopped to make room.
      makeRoom: (seeker) =>
        this.#room.makeRoom(
          seeker,
          () => [
            ...[...this.#servers.values()].map((s) => s.seeker),
            ...this.#outside.seekers(this.#deps.external?.list() ?? []),
          ],
          this.#limits(),
        ),
      roomChanged: () => this.#room.changed(),
      clock: deps.clock ?? systemClock,
    };
  }

  // A client of our own, made on first use, so probe connections are closed with the supervisor.
  #httpClient(): Deno.HttpClient {
    return this.#client ??= Deno.createHttpClient({});
  }

  #limits(): BudgetLimits {
    const { memoryBudgetGb, maxMemoryPercent, maxLoadedModels } = this.#deps.config;
    const budgetBytes = memoryBudgetGb !== null
      ? Math.round(memoryBudgetGb * 1024 ** 3)
      : Math.round(this.#deps.totalMemory() * maxMemoryPercent / 100);
    return { budgetBytes, maxLoaded: maxLoadedModels };
  }

  #profile(profileId: number): Profile {
    const profile = findProfile(this.#deps.db, profileId);
    if (!profile) throw new AppError("not_found", "Profile not found");
    return profile;
  }

  /** The profile's server, created on first use by a command (never by a query). */
  #server(profileId: number): ManagedServer {
    const profile = this.#profile(profileId);
    let server = this.#servers.get(profileId);
    if (!server) {
      server = new ManagedServer(this.#ctx, profile, this.#logs.get(profileId));
      this.#logs.delete(profileId);
      this.#servers.set(profileId, server);
    } else server.refresh(profile);
    return server;
  }

  /**
   * The log of a profile: its server's, or (a query creates no server) one
   * kept for the profile and handed to its server when that is made, so a
   * reader of a stopped profile's log sees the lines of its next start.
   */
  #log(profileId: number): ServerLog {
    const server = this.#servers.get(profileId);
    if (server) return server.log;
    this.#profile(profileId);
    let log = this.#logs.get(profileId);
    if (!log) {
      log = new ServerLog(logPathOf(this.#deps.config.dataDir, profileId));
      this.#logs.set(profileId, log);
    }
    return log;
  }

  /**
   * The status of a profile's server (`stopped` when it never ran). A query:
   * it creates nothing.
   *
   * @throws {AppError} `not_found` when the profile does not exist
   */
  status(profileId: number): ServerStatus {
    const profile = this.#profile(profileId);
    const server = this.#servers.get(profileId);
    server?.refresh(profile);
    const outside = this.#external(profileId)?.status(profileId);
    if (outside) return outside;
    if (server) return server.status();
    return toServerStatus({
      profile,
      state: "stopped",
      run: noRun(profile),
      inFlight: 0,
      queued: 0,
      totalMemory: this.#deps.totalMemory(),
    });
  }

  /**
   * Takes a lease on a profile's server for one request: waits in the
   * profile's queue, starting the server (with its saved settings, as a
   * manual start does) when it is stopped, failed or crashed, and making room
   * in the memory budget first. Release the lease when the response ends.
   * `model` is the name the request used (the profile's name by default): the
   * status shows it as `started_for` while a start it caused runs.
   *
   * @throws {AppError} `not_found` unknown profile; `rate_limited`
   *   (`queue_full`, with `retryAfter`); `unavailable` with reason
   *   `queue_timeout` (with `retryAfter`), `model_start_failed` (the server's
   *   reason in the message) or `model_exceeds_memory_budget`; the signal's
   *   reason when `signal` aborts
   *
   * @example
   * ```ts
   * using lease = await supervisor.acquire(profile.id, { signal: request.signal });
   * await fetch(`${lease.baseUrl}/v1/chat/completions`, init);
   * ```
   */
  async acquire(profileId: number, options: { signal?: AbortSignal; model?: string } = {}): Promise<Lease> {
    if (this.#closed) throw new AppError("unavailable", "MLX Manager is shutting down");
    options.signal?.throwIfAborted();
    const external = this.#external(profileId);
    const outside = external?.status(profileId);
    if (external && !this.#servers.get(profileId)?.live) {
      if (outside?.state !== "running") {
        throw new AppError(
          "unavailable",
          `"${this.#profile(profileId).name}" runs under launchd and is not running: start it first`,
          { reason: "model_start_failed" },
        );
      }
      const served = (await this.#deps.serverInfo.get()).options["--served-model-name"];
      const facts = {
        profileId,
        baseUrl: serverUrl(outside.host, outside.port),
        coldStart: false,
        queueMs: 0,
        // launchd runs the supervisor's own command line.
        servedModel: served ? servedModelName(profileId) : null,
      };
      return new HeldLease(facts, () => {});
    }
    const server = this.#server(profileId);
    await server.driver.checkExit();
    return await server.gate.acquire(options.signal, options.model);
  }

  /** The external manager that owns a profile's server, if any. */
  #external(profileId: number): ExternalServers | null {
    const external = this.#deps.external;
    return external?.owns(profileId) ? external : null;
  }

  /** Every server that is not `stopped` (including failed and crashed ones), by profile id. */
  list(): ServerStatus[] {
    const external = this.#deps.external?.list() ?? [];
    const ids = new Set(external.map((s) => s.profile_id));
    return [...this.#servers.values()]
      .filter((s) => s.state !== "stopped" && !ids.has(s.id))
      .map((s) => s.status())
      .concat(external)
      .sort((a, b) => a.profile_id - b.profile_id);
  }

  /**
   * Starts a profile's server; concurrent calls start one process. Resolves
   * once it is spawned (`starting`), or with `wait` once it is running.
   *
   * @throws {AppError} `not_found` unknown profile; `conflict` port in use, server not
   *   installed, unsupported option; with `wait`, `conflict` (`start_failed`) when it failed to start
   */
  async start(profileId: number, options: { wait?: boolean } = {}): Promise<ServerStatus> {
    if (this.#closed) throw new AppError("unavailable", "MLX Manager is shutting down");
    const server = this.#server(profileId);
    const external = this.#external(profileId);
    if (external) {
      if (server.live) throw new AppError("conflict", "This server is already running under MLX Manager");
      await external.start(profileId);
      return this.status(profileId);
    }
    await server.start();
    if (options.wait) {
      await server.settled();
      if (server.state === "failed" || server.state === "crashed") {
        const status = server.status();
        throw new AppError("conflict", `Server failed to start: ${status.last_error}`, {
          reason: "start_failed",
        });
      }
    }
    return server.status();
  }

  /**
   * Stops a profile's server (or clears its failure).
   *
   * @throws {AppError} `not_found` when the profile does not exist or nothing runs
   */
  async stop(profileId: number, options: { force?: boolean } = {}): Promise<ServerStatus> {
    const server = this.#server(profileId);
    const external = this.#external(profileId);
    if (external && !server.live) {
      if (!await external.stop(profileId)) throw new AppError("not_found", "Server not running");
      this.#room.changed();
      return { ...server.status(), managed_by: "launchd" };
    }
    if (!await server.stop(options)) throw new AppError("not_found", "Server not running");
    return server.status();
  }

  /** Stops the server if it runs, then starts it. */
  async restart(profileId: number, options: { wait?: boolean } = {}): Promise<ServerStatus> {
    const external = this.#external(profileId);
    if (external && !this.#server(profileId).live) await external.stop(profileId);
    else await this.#server(profileId).stop();
    return await this.start(profileId, options);
  }

  /** Probes a server now (a query: it creates nothing). */
  async health(profileId: number): Promise<HealthAnswer> {
    const status = this.status(profileId);
    const answer = (state: "starting" | "stopped"): HealthAnswer => ({
      status: state,
      response_time_ms: null,
      model_loaded: null,
      error: null,
    });
    if (status.state === "starting") return answer("starting");
    if (status.state !== "running") return answer("stopped");
    const result = await this.#ctx.probe(serverUrl(status.host, status.port));
    return {
      status: result.ok ? "healthy" : "unhealthy",
      response_time_ms: result.ms,
      model_loaded: result.ok ? true : null,
      error: result.error,
    };
  }

  /** Reads the end of a profile's log file into its buffer, if the buffer is empty (after a manager restart). */
  async loadLogHistory(profileId: number): Promise<void> {
    const log = this.#log(profileId);
    await log.tail.loadHistory(log.path);
  }

  /** The last `n` buffered log lines of a profile's server. */
  logLines(profileId: number, n: number): string[] {
    return this.#log(profileId).tail.last(n);
  }

  /**
   * Calls `listener` with each new log line of a profile's server; returns the
   * unsubscribe function. Call right after {@link logLines} (no await between)
   * to get every line exactly once.
   */
  onLogLine(profileId: number, listener: LineListener): () => void {
    return this.#log(profileId).tail.subscribe(listener, { live: true });
  }

  /**
   * Takes the profile's new settings into its server at once: name, model,
   * address (for the next start), `idle_timeout`, `keep_loaded` and the
   * concurrency limit.
   */
  profileChanged(profileId: number): void {
    const server = this.#servers.get(profileId);
    const profile = findProfile(this.#deps.db, profileId);
    if (server && profile) {
      server.refresh(profile);
      if (server.state !== "stopped") server.publish();
    }
  }

  /** Stops a deleted profile's server and removes its log and prompt cache. Call before deleting the profile. */
  async forget(profileId: number): Promise<void> {
    await this.#deps.external?.forget(profileId);
    const server = this.#servers.get(profileId);
    const logPath = server?.log.path ?? logPathOf(this.#deps.config.dataDir, profileId);
    this.#logs.get(profileId)?.tail.stop();
    this.#logs.delete(profileId);
    if (server) {
      await server.close(true);
      this.#servers.delete(profileId);
      const stopped: ServerStatus = { ...server.status(), state: "stopped", last_error: null };
      this.#deps.bus.publish("server.update", stopped);
    }
    for (const path of [logPath, `${logPath}.1`]) {
      await Deno.remove(path).catch(() => {});
    }
    await Deno.remove(promptCacheDirOf(this.#deps.config.dataDir, profileId), { recursive: true })
      .catch(() => {});
  }

  /** One sweep, the one scheduled job for every model server (see `sweep.ts`). */
  async tick(): Promise<void> {
    await sweep({
      servers: this.#servers.values(),
      external: this.#deps.external,
      runner: this.#deps.runner,
      healthTimeoutMs: this.#deps.config.healthTimeout * 1000,
      client: this.#httpClient(),
      roomChanged: () => this.#room.changed(),
    });
  }

  /** After a manager restart: adopts the recorded servers still alive, forgets the others (see `recover.ts`). */
  async recover(): Promise<void> {
    await recoverServers(this.#deps, (profileId, instance) => this.#server(profileId).adopt(instance));
  }

  /** Starts every `auto_start` profile that is not running; failures become notices. */
  async autoStart(): Promise<void> {
    // launchd starts the profiles it owns at login (RunAtLoad).
    const profiles = listProfiles(this.#deps.db).filter((p) => p.auto_start && !this.#external(p.id));
    await Promise.all(profiles.map(async (profile) => {
      try {
        await this.start(profile.id);
      } catch (error) {
        const message = `Cannot start "${profile.name}" automatically: ${(error as Error).message}`;
        this.#deps.logger.warn(message);
        this.#deps.bus.publish("notice", { message, kind: "error" });
      }
    }));
  }

  /**
   * Stops background work. With `stopServers` every server is stopped first;
   * otherwise they keep running and the next manager adopts them.
   */
  async close(options: { stopServers: boolean }): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#servers.values()].map((s) => s.close(options.stopServers)));
    for (const log of this.#logs.values()) log.tail.stop();
    this.#room.changed();
    this.#client?.close();
  }
}
