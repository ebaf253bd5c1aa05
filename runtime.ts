/**
 * Composition root: builds every service from a {@link Config} and wires them into
 * the web app. `main.ts` and the tests build the app the same way.
 *
 * @module
 */
import type { Hono } from "hono";
import type { Clock } from "./lib/clock.ts";
import type { Config } from "./lib/config.ts";
import { createLogger, type Logger } from "./lib/logger.ts";
import { type Manifest, readManifest } from "./lib/manifest.ts";
import { type DataDirLock, lockDataDir, openDatabase, PRIVATE_DIR_MODE, privateFile } from "./db/data_dir.ts";
import type { Db } from "./db/mod.ts";
import { EventBus } from "./services/events.ts";
import { createApp } from "./routes/mod.ts";
import { Accounts } from "./services/accounts/mod.ts";
import { loadOrCreateSecret, TokenSigner } from "./services/accounts/tokens.ts";
import { SessionStreams } from "./services/accounts/session_streams.ts";
import type { AppDeps, AppEnv } from "./routes/env.ts";
import { dirname } from "node:path";
import { Scheduler } from "./services/scheduler.ts";
import { ServerInfoSource } from "./services/supervisor/server_info.ts";
import { Supervisor } from "./services/supervisor/mod.ts";
import { Profiles } from "./services/profiles/mod.ts";
import { type CommandRunner, DenoCommandRunner } from "./services/platform/runner.ts";
import { createProbe, type OsName } from "./services/system/probes.ts";
import { SystemService } from "./services/system/mod.ts";
import { stablePath } from "./services/platform/executable.ts";
import { MetricsSampler } from "./services/system/sampler.ts";
import { Launchd } from "./services/launchd/mod.ts";
import { LaunchdServers } from "./services/launchd/servers.ts";
import { probeHealth } from "./services/supervisor/health.ts";
import { sampleProcesses } from "./services/platform/processes.ts";
import { type MemorySource, systemTotalMemory } from "./services/platform/memory.ts";
import { ChatService } from "./services/chat/service.ts";
import { Conversations } from "./services/chat/conversations.ts";
import type { ChatTargets } from "./services/chat/targets.ts";
import { SupervisedTargets } from "./services/chat/supervised_targets.ts";
import { checkModelPath, MODEL_CHECK_TIMEOUT_MS } from "./services/profiles/model_check.ts";
import { HubClient } from "./services/hub/client.ts";
import type { ParserListsSource } from "./services/hub/parsers.ts";
import { DownloadManager, type DownloadManagerOptions } from "./services/downloads/manager.ts";
import { HashThread } from "./services/downloads/hash_thread.ts";
import { createModels } from "./services/models/mod.ts";
import { ModelRunner } from "./services/models/run.ts";
import { KvRunStore } from "./services/models/run_store.ts";
import { dfDiskUsage, type DiskUsageReader } from "./services/models/disk.ts";
import type { ModelUsage } from "./services/models/usage.ts";
import { installedParserLists, profileModelUsage, recordModelUse } from "./services/model_usage.ts";
import { SecretBox } from "./services/secrets.ts";
import { Confirmations, type ConnectionTiming, McpServers } from "./services/mcp/mod.ts";
import { ToolRunner } from "./services/chat/tools/runner.ts";
import { Gateway } from "./services/gateway/mod.ts";
import { type Backends, SupervisorBackends } from "./services/gateway/backends.ts";
import { ActivityLog } from "./services/gateway/activity.ts";
import { isKnownName } from "./services/gateway/sources.ts";
import { ApiKeys } from "./services/keys/mod.ts";
import { importPepper } from "./services/keys/format.ts";
import { loadOrCreatePepper } from "./services/keys/pepper.ts";
import { Upstreams, type UpstreamTiming } from "./services/upstreams/mod.ts";
import { Bridges } from "./services/bridges/mod.ts";
import { ResponseStore } from "./services/bridges/responses/store.ts";
import { TokenCounter } from "./services/bridges/tokens.ts";
import { COMMIT_MS } from "./services/bridges/runner.ts";
import { Calendar } from "./services/limits/calendar.ts";
import { Limits } from "./services/limits/mod.ts";
import { PrometheusMetrics } from "./services/prometheus/mod.ts";

/** A running instance of the manager's services and web app. */
export interface Runtime {
  deps: AppDeps;
  /** The open database; handlers reach it only through the services, the runtime closes it. */
  db: Db;
  app: Hono<AppEnv>;
  /** Starts background work (health checks, downloads, auto-start). */
  start(): Promise<void>;
  /** Stops background work and closes stores; `graceful` also stops model servers if configured. */
  close(options?: { graceful?: boolean }): Promise<void>;
}

/** Options of {@link createRuntime}. */
export interface RuntimeOptions {
  logger?: Logger;
  /** The asset manifest. @default read from `_build/manifest.json` */
  manifest?: Manifest;
  /** Where the chat finds model servers. @default the profiles, with their servers' state from the supervisor */
  chatTargets?: ChatTargets;
  /** Which profiles and running servers use a model. @default nothing uses any model */
  modelUsage?: ModelUsage;
  /** The parser lists the models area offers. @default the installed server's (those of 1.5.1 until it answers) */
  parserLists?: ParserListsSource;
  /** Physical memory in bytes, for every area. @default the operating system's figure */
  totalMemory?: MemorySource;
  /** Free/total disk of a folder. @default `df -Pk` */
  diskUsage?: DiskUsageReader;
  /** Download tuning (tests use short retries). */
  downloads?: Pick<
    DownloadManagerOptions,
    "retry" | "progressIntervalMs" | "fileConcurrency" | "reserveBytes"
  >;
  /** The machine as the system and launchd services see it; tests replay recorded macOS output. */
  platform?: PlatformOptions;
  /** MCP reconnect timing (tests use short backoff). */
  mcpTiming?: Partial<ConnectionTiming>;
  /** Where the gateway gets servers. @default the supervisor */
  backends?: Backends;
  /** Upstream probe timing (tests use short intervals). @default health every MLX_MANAGER_HEALTH_INTERVAL, models every minute */
  upstreamTiming?: Partial<UpstreamTiming>;
  /** The clock of the model servers' idle timers (tests move it themselves). @default the real one */
  clock?: Clock;
}

/** Overrides of the machine the runtime reads. */
export interface PlatformOptions {
  /** @default Deno.build.os */
  os?: OsName;
  /** Runs `sysctl`, `launchctl`, … @default a `Deno.Command` runner */
  runner?: CommandRunner;
  /**
   * Runs the programs of the model servers (`ps`, `mlx-openai-server --help`),
   * which are real processes even when `runner` replays a Mac. @default a `Deno.Command` runner
   */
  processes?: CommandRunner;
  /** @default Deno.uid() */
  uid?: number | null;
  /** @default Deno.osRelease() */
  kernelRelease?: string;
}

/**
 * Builds the services and the app for `config`.
 *
 * @example
 * ```ts
 * const runtime = await createRuntime(loadConfig({ MLX_MANAGER_DATABASE_PATH: ":memory:" }));
 * const res = await runtime.app.request("/health");
 * await runtime.close();
 * ```
 */
export async function createRuntime(
  config: Config,
  options: RuntimeOptions = {},
): Promise<Runtime> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const manifest = options.manifest ?? await readManifest();
  // A manager on a database file owns the data dir: a second one would adopt and stop the first one's servers.
  const lock: DataDirLock | null = config.databasePath === ":memory:" ? null : lockDataDir(config.dataDir);
  try {
    return await build(config, options, logger, manifest, lock);
  } catch (error) {
    lock?.release();
    throw error;
  }
}

async function build(
  config: Config,
  options: RuntimeOptions,
  logger: Logger,
  manifest: Manifest,
  lock: DataDirLock | null,
): Promise<Runtime> {
  const db = openDatabase(config.databasePath);
  const bus = new EventBus();
  const secret = config.jwtSecret ??
    await loadOrCreateSecret(config.dataDir, (message) => logger.warn(message));
  const calendar = new Calendar(config.timeZone);
  const limits = new Limits({ db, calendar });
  const accounts = new Accounts(
    db,
    bus,
    new TokenSigner(secret, Math.round(config.jwtExpireDays * 86400)),
    { limits },
  );
  const sessions = new SessionStreams(accounts);
  if (config.kvPath !== ":memory:") {
    await Deno.mkdir(dirname(config.kvPath), { recursive: true, mode: PRIVATE_DIR_MODE });
    // Created owner-only before Deno KV opens it: SQLite gives its WAL the same mode.
    privateFile(config.kvPath);
  }
  const kv = await Deno.openKv(config.kvPath);
  const scheduler = new Scheduler(logger);
  const os = options.platform?.os ?? Deno.build.os;
  const runner = options.platform?.runner ?? new DenoCommandRunner();
  const processes = options.platform?.processes ?? new DenoCommandRunner();
  const totalMemory = options.totalMemory ?? systemTotalMemory;
  const probe = createProbe({ os, runner, kernelRelease: options.platform?.kernelRelease });
  const uid = options.platform && "uid" in options.platform ? options.platform.uid ?? null : Deno.uid();
  const launchd = new Launchd({ os, runner, uid, home: config.home });
  const launchdServers = new LaunchdServers({
    db,
    bus,
    launchd,
    logger,
    probe: (baseUrl) => probeHealth(baseUrl, config.healthTimeout * 1000),
    sample: () => sampleProcesses(processes),
    totalMemory,
  });
  const serverInfo = new ServerInfoSource({
    executable: config.mlxServer,
    home: config.home,
    path: config.path,
    runner: processes,
  });
  const system = new SystemService({
    config,
    probe,
    runner,
    os,
    // The supervisor already asks the server for its version: ask once.
    server: async () => {
      const info = await serverInfo.get();
      return { path: info.executable && await stablePath(info.executable), version: info.version };
    },
  });
  const metrics = new MetricsSampler({ system, bus, logger, intervalMs: config.metricsInterval * 1000 });
  const supervisor = new Supervisor({
    db,
    bus,
    config,
    logger,
    serverInfo,
    runner: processes,
    totalMemory,
    external: launchdServers,
    clock: options.clock,
  });
  const hubSettings = { endpoint: config.hfEndpoint, token: config.hfToken, offline: config.offline };
  const hub = new HubClient(hubSettings);
  // A save waits for this answer: a hub that is slow to answer is not asked for long.
  const checkHub = new HubClient({ ...hubSettings, timeoutMs: MODEL_CHECK_TIMEOUT_MS });
  const profiles = new Profiles({
    db,
    bus,
    config,
    serverInfo,
    supervisor,
    checkModel: (path) =>
      checkModelPath(path, {
        hubInfo: (id) => checkHub.info(id),
        // Read at check time, once the models area exists.
        isDownloaded: (id) => models.local.isDownloaded(id),
      }),
  });
  // One sweep for the manager's and launchd's servers: one `ps` a tick.
  scheduler.every("servers.health", config.healthInterval * 1000, () => supervisor.tick());
  const conversations = new Conversations(db);
  const secrets = new SecretBox(config.dataDir);
  const mcp = new McpServers({
    db,
    bus,
    secrets,
    logger,
    timing: { connectTimeoutMs: config.mcpConnectTimeout * 1000, ...options.mcpTiming },
  });
  const confirmations = new Confirmations();
  const activity = new ActivityLog({ db, bus, retentionDays: config.activityDays, calendar });
  const stopCountingBudgets = activity.onRecord((row) => limits.recorded(row));
  const prometheus = new PrometheusMetrics({
    profiles: () => profiles.list(),
    servers: () => supervisor.list(),
    upstreams: () => upstreams.machines(),
  });
  const stopCountingMetrics = activity.onRecord((row) => prometheus.observe(row));
  // The one admission path: the chat page's turns and `/v1` requests take the same leases.
  const backends = options.backends ?? new SupervisorBackends(supervisor);
  const chatTargets = options.chatTargets ?? new SupervisedTargets(profiles, supervisor, backends);
  const chat = new ChatService({
    targets: chatTargets,
    conversations,
    logger,
    maxToolRounds: config.chatMaxToolRounds,
    idleTimeoutMs: config.chatTimeout * 1000,
    activity,
    tools: new ToolRunner({
      mcp,
      confirmations,
      logger,
      toolTimeoutMs: config.mcpToolTimeout * 1000,
      maxOutput: config.mcpMaxOutput,
      confirmTimeoutMs: config.mcpConfirmTimeout * 1000,
    }),
  });

  const diskUsage = options.diskUsage ?? dfDiskUsage;
  const hashThread = new HashThread();
  const downloads = new DownloadManager({
    db,
    bus,
    hub,
    cacheDir: config.hfHubCache,
    logger,
    diskUsage,
    hashThread,
    ...options.downloads,
  });
  const models = createModels({
    db,
    bus,
    hub,
    downloads,
    cacheDir: config.hfHubCache,
    usage: options.modelUsage ?? profileModelUsage(profiles, supervisor),
    parserLists: options.parserLists ?? installedParserLists(serverInfo),
    totalMemory,
    budgetShare: config.maxMemoryPercent / 100,
    diskUsage,
  });
  const modelRuns = new ModelRunner({
    bus,
    logger,
    profiles,
    supervisor,
    downloads,
    models,
    store: new KvRunStore(kv),
  });
  const stopRecordingUse = recordModelUse(bus, (id) => models.local.recordUse(id));
  const upstreams = new Upstreams({
    db,
    bus,
    secrets,
    logger,
    connectTimeoutMs: config.upstreamConnectTimeout * 1000,
    answerTimeoutMs: config.upstreamAnswerTimeout * 1000,
    timing: { healthMs: config.healthInterval * 1000, ...options.upstreamTiming },
  });
  upstreams.schedule(scheduler);
  const keys = new ApiKeys({
    db,
    limits,
    pepper: await importPepper(await loadOrCreatePepper(config.dataDir)),
    knownModel: (name) => isKnownName(name, { profiles: profiles.list(), remotes: upstreams.targets() }),
  });
  scheduler.every("activity.retention", 3_600_000, () => {
    activity.prune();
  });
  let serverVersion: string | null = null;
  const gateway = new Gateway({
    db,
    bus,
    logger,
    accounts,
    keys,
    activity,
    backends,
    profiles: () => profiles.list(),
    status: (id) => supervisor.status(id),
    serverVersion: () => serverVersion,
    upstreams,
    auth: config.gatewayAuth,
    clientTimeoutMs: config.clientTimeout * 1000,
    limits,
  });
  const responses = new ResponseStore({ db, retentionDays: config.responsesDays, logger });
  const bridges = new Bridges({
    gateway,
    store: responses,
    tokens: new TokenCounter(config.hfHubCache),
    timing: { commitMs: COMMIT_MS, keepAliveMs: config.sseKeepAlive * 1000 },
  });
  scheduler.every("responses.retention", 3_600_000, () => {
    bridges.prune();
  });
  const deps: AppDeps = {
    config,
    logger,
    bus,
    manifest,
    accounts,
    sessions,
    serverInfo,
    supervisor,
    profiles,
    system,
    metrics,
    launchd,
    launchdServers,
    chat,
    chatTargets,
    conversations,
    models,
    downloads,
    modelRuns,
    mcp,
    confirmations,
    gateway,
    keys,
    activity,
    upstreams,
    bridges,
    limits,
    prometheus,
  };
  const app = createApp(deps);
  let closed = false;
  return {
    deps,
    db,
    app,
    async start() {
      // Discovering the server can take seconds (it imports MLX): do it in the background.
      void serverInfo.get().then((info) => serverVersion = info.version);
      system.warm();
      metrics.start();
      // Before auto-start: profiles launchd runs are not started a second time.
      await launchdServers.refresh().catch((error) => logger.warn("Cannot read launchd jobs", { error }));
      await supervisor.recover();
      scheduler.start();
      await supervisor.autoStart();
      // Before the downloads resume, so the runs waiting for them see them end.
      await modelRuns.resume();
      await downloads.start();
      await mcp.start();
      void upstreams.start();
    },
    async close(options = {}) {
      if (closed) return;
      closed = true;
      await metrics.stop();
      stopRecordingUse();
      stopCountingBudgets();
      stopCountingMetrics();
      scheduler.stop();
      confirmations.close();
      chat.close();
      await mcp.close();
      sessions.close();
      accounts.close();
      gateway.close();
      await upstreams.close();
      modelRuns.close();
      await downloads.close();
      hashThread.close();
      await supervisor.close({ stopServers: options.graceful === true && config.stopServersOnExit });
      await scheduler.done;
      kv.close();
      db.close();
      lock?.release();
    },
  };
}
