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
import { totalmem } from "node:os";
import { HubClient } from "./services/hub/client.ts";
import { FALLBACK_PARSER_LISTS, type ParserListsSource } from "./services/hub/parsers.ts";
import { DownloadManager, type DownloadManagerOptions } from "./services/downloads/manager.ts";
import { createModels } from "./services/models/mod.ts";
import { dfDiskUsage, type DiskUsageReader } from "./services/models/disk.ts";
import { type ModelUsage, NO_MODEL_USAGE } from "./services/models/usage.ts";

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
    usage: options.modelUsage ?? NO_MODEL_USAGE,
    parserLists: options.parserLists ?? (() => FALLBACK_PARSER_LISTS),
    totalMemory: options.totalMemory ?? totalmem,
    diskUsage,
  });
  const deps: AppDeps = { config, logger, db, bus, manifest, accounts, models, downloads };
  const app = createApp(deps);
  let closed = false;
  return {
    deps,
    app,
    async start() {
      await downloads.start();
    },
    async close() {
      if (closed) return;
      closed = true;
      await downloads.close();
      db.close();
    },
  };
}
