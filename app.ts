/**
 * Composition: builds every service from a {@link Config} and wires them into
 * the web app. `main.ts` and the tests build the app the same way.
 *
 * @module
 */
import type { Hono } from "hono";
import type { Config } from "./lib/config.ts";
import { createLogger, type Logger } from "./lib/logger.ts";
import { type Manifest, readManifest } from "./lib/assets.ts";
import { openDb } from "./db/mod.ts";
import { EventBus } from "./services/events.ts";
import { createApp } from "./routes/mod.ts";
import { Accounts } from "./services/accounts/mod.ts";
import { loadOrCreateSecret, TokenSigner } from "./services/accounts/tokens.ts";
import type { AppDeps, AppEnv } from "./routes/env.ts";
import { dirname } from "node:path";
import { totalmem } from "node:os";
import { Scheduler } from "./services/scheduler.ts";
import { ServerInfoSource } from "./services/supervisor/server_info.ts";
import { Supervisor } from "./services/supervisor/mod.ts";
import { Profiles } from "./services/profiles/mod.ts";
import { type CommandRunner, DenoCommandRunner } from "./services/system/runner.ts";
import { createProbe, type OsName } from "./services/system/probes.ts";
import { SystemService } from "./services/system/mod.ts";
import { stablePath } from "./services/system/executables.ts";
import { MetricsSampler } from "./services/system/sampler.ts";
import { Launchd } from "./services/launchd/mod.ts";
import { LaunchdServers } from "./services/launchd/servers.ts";
import { probeHealth } from "./services/supervisor/health.ts";
import { sampleProcesses, treeUsage } from "./services/supervisor/metrics.ts";
import { ChatService } from "./services/chat/service.ts";
import { Conversations } from "./services/chat/conversations.ts";
import type { ChatTargets } from "./services/chat/targets.ts";
import { SupervisedTargets } from "./services/chat/supervised_targets.ts";
import { HubClient } from "./services/hub/client.ts";
import type { ParserListsSource } from "./services/hub/parsers.ts";
import { DownloadManager, type DownloadManagerOptions } from "./services/downloads/manager.ts";
import { createModels } from "./services/models/mod.ts";
import { dfDiskUsage, type DiskUsageReader } from "./services/models/disk.ts";
import type { ModelUsage } from "./services/models/usage.ts";
import { installedParserLists, profileModelUsage, recordModelUse } from "./services/model_usage.ts";

/** A running instance of the manager's services and web app. */
export interface Runtime {
  deps: AppDeps;
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
  /** Where the chat finds model servers. @default no servers */
  chatTargets?: ChatTargets;
  /** Which profiles and running servers use a model. @default nothing uses any model */
  modelUsage?: ModelUsage;
  /** The installed server's parser lists. @default the lists of mlx-openai-server 1.5.0 */
  parserLists?: ParserListsSource;
  /** Physical memory in bytes. @default `os.totalmem()` */
  totalMemory?: () => number;
  /** Free/total disk of a folder. @default `df -Pk` */
  diskUsage?: DiskUsageReader;
  /** Download tuning (tests use short retries). */
  downloads?: Pick<
    DownloadManagerOptions,
    "retry" | "progressIntervalMs" | "fileConcurrency" | "reserveBytes"
  >;
  /** The machine as the system and launchd services see it; tests replay recorded macOS output. */
  platform?: PlatformOptions;
}

/** Overrides of the machine the runtime reads. */
export interface PlatformOptions {
  /** @default Deno.build.os */
  os?: OsName;
  /** Runs `sysctl`, `launchctl`, … @default a `Deno.Command` runner */
  runner?: CommandRunner;
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
  const db = openDb(config.databasePath);
  const bus = new EventBus();
  const secret = config.jwtSecret ?? await loadOrCreateSecret(config.dataDir);
  const accounts = new Accounts(
    db,
    bus,
    new TokenSigner(secret, Math.round(config.jwtExpireDays * 86400)),
  );
  if (config.kvPath !== ":memory:") await Deno.mkdir(dirname(config.kvPath), { recursive: true });
  const kv = await Deno.openKv(config.kvPath);
  const scheduler = new Scheduler(kv, logger);
  const os = options.platform?.os ?? Deno.build.os;
  const runner = options.platform?.runner ?? new DenoCommandRunner();
  const probe = createProbe({ os, runner, kernelRelease: options.platform?.kernelRelease });
  const uid = options.platform && "uid" in options.platform ? options.platform.uid ?? null : Deno.uid();
  const launchd = new Launchd({ os, runner, uid, home: config.home });
  const launchdServers = new LaunchdServers({
    db,
    bus,
    launchd,
    logger,
    probe: (baseUrl) => probeHealth(baseUrl, config.healthTimeout * 1000),
    usage: async (pids) => treeUsage(await sampleProcesses(), pids),
    totalMemory: Deno.systemMemoryInfo().total,
  });
  const serverInfo = new ServerInfoSource({ executable: config.mlxServer, home: config.home });
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
  const supervisor = new Supervisor({ db, bus, config, logger, serverInfo, external: launchdServers });
  const profiles = new Profiles({ db, bus, config, serverInfo, supervisor });
  scheduler.every("servers.health", config.healthInterval * 1000, () => supervisor.tick());
  if (launchd.available) {
    scheduler.every("launchd.servers", config.healthInterval * 1000, () => launchdServers.refresh());
  }
  const conversations = new Conversations(db);
  const chat = new ChatService({
    targets: options.chatTargets ?? new SupervisedTargets(profiles, supervisor),
    conversations,
    logger,
    maxToolRounds: config.chatMaxToolRounds,
    idleTimeoutMs: config.chatTimeout * 1000,
  });

  const hub = new HubClient({ endpoint: config.hfEndpoint, token: config.hfToken, offline: config.offline });
  const diskUsage = options.diskUsage ?? dfDiskUsage;
  const downloads = new DownloadManager({
    db,
    bus,
    hub,
    cacheDir: config.hfHubCache,
    logger,
    diskUsage,
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
    totalMemory: options.totalMemory ?? totalmem,
    budgetShare: config.maxMemoryPercent / 100,
    diskUsage,
  });
  const stopRecordingUse = recordModelUse(bus, (id) => models.local.recordUse(id));
  const deps: AppDeps = {
    config,
    logger,
    db,
    bus,
    manifest,
    accounts,
    kv,
    scheduler,
    serverInfo,
    supervisor,
    profiles,
    system,
    metrics,
    launchd,
    launchdServers,
    chat,
    conversations,
    models,
    downloads,
  };
  const app = createApp(deps);
  let closed = false;
  return {
    deps,
    app,
    async start() {
      // Discovering the server can take seconds (it imports MLX): do it in the background.
      void serverInfo.get();
      system.warm();
      metrics.start();
      // Before auto-start: profiles launchd runs are not started a second time.
      await launchdServers.refresh().catch((error) => logger.warn("Cannot read launchd jobs", { error }));
      await supervisor.recover();
      scheduler.start();
      await supervisor.autoStart();
      await downloads.start();
    },
    async close(options = {}) {
      if (closed) return;
      closed = true;
      await metrics.stop();
      stopRecordingUse();
      scheduler.stop();
      chat.close();
      await downloads.close();
      await supervisor.close({ stopServers: options.graceful === true && config.stopServersOnExit });
      kv.close();
      await scheduler.done;
      db.close();
    },
  };
}
