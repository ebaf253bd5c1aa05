/**
 * The types shared by every route: the dependencies passed in from `main.ts`
 * and the per-request variables.
 *
 * @module
 */
import type { Limits } from "../services/limits/mod.ts";
import type { PrometheusMetrics } from "../services/prometheus/mod.ts";
import type { Config } from "../lib/config.ts";
import type { Logger } from "../lib/logger.ts";
import type { Manifest } from "../lib/manifest.ts";
import type { EventBus } from "../services/events.ts";
import type { Accounts, SessionIdentity } from "../services/accounts/mod.ts";
import type { SessionStreams } from "../services/accounts/session_streams.ts";
import type { ServerInfoSource } from "../services/supervisor/server_info.ts";
import type { Supervisor } from "../services/supervisor/mod.ts";
import type { Profiles } from "../services/profiles/mod.ts";
import type { ChatService } from "../services/chat/service.ts";
import type { ChatTargets } from "../services/chat/targets.ts";
import type { Conversations } from "../services/chat/conversations.ts";
import type { Models } from "../services/models/mod.ts";
import type { DownloadManager } from "../services/downloads/manager.ts";
import type { ModelRunner } from "../services/models/run.ts";
import type { SystemService } from "../services/system/mod.ts";
import type { MetricsSampler } from "../services/system/sampler.ts";
import type { Launchd } from "../services/launchd/mod.ts";
import type { LaunchdServers } from "../services/launchd/servers.ts";
import type { Confirmations, McpServers } from "../services/mcp/mod.ts";
import type { Gateway } from "../services/gateway/mod.ts";
import type { ApiKeys } from "../services/keys/mod.ts";
import type { ActivityLog } from "../services/gateway/activity.ts";
import type { Upstreams } from "../services/upstreams/mod.ts";
import type { Bridges } from "../services/bridges/mod.ts";

/** Everything a request handler may use, built once by the composition root. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  bus: EventBus;
  manifest: Manifest;
  accounts: Accounts;
  /** Open streams of signed-in sessions, ended when their session ends. */
  sessions: SessionStreams;
  /** The installed mlx-openai-server: version and options. */
  serverInfo: ServerInfoSource;
  supervisor: Supervisor;
  profiles: Profiles;
  chat: ChatService;
  /** The profiles the chat can talk to, and a way to start their servers. */
  chatTargets: ChatTargets;
  conversations: Conversations;
  /** Search, detection and the local model cache. */
  models: Models;
  /** Download jobs. */
  downloads: DownloadManager;
  /** Runs a model in one step: profile, download, start. */
  modelRuns: ModelRunner;
  system: SystemService;
  metrics: MetricsSampler;
  launchd: Launchd;
  /** Profiles' servers that launchd runs. */
  launchdServers: LaunchdServers;
  /** Registered MCP servers and their connections. */
  mcp: McpServers;
  /** MCP tool calls waiting for the user's answer. */
  confirmations: Confirmations;
  /** The OpenAI endpoint on `/v1`. */
  gateway: Gateway;
  /** API keys for `/v1`. */
  keys: ApiKeys;
  /** One row per `/v1` request. */
  activity: ActivityLog;
  /** Remote servers `/v1` routes to. */
  upstreams: Upstreams;
  /** Anthropic Messages and OpenAI Responses on `/v1`. */
  bridges: Bridges;
  /** Per-key and per-user limits and budgets. */
  limits: Limits;
  /** The Prometheus metrics of `GET /metrics`. */
  prometheus: PrometheusMetrics;
}

/** The signed-in user of a request. */
export type SessionUser = SessionIdentity;

/** Hono environment of the app. */
export interface AppEnv {
  Variables: {
    deps: AppDeps;
    /** The signed-in user, or null on public routes. */
    user: SessionUser | null;
  };
}
