/**
 * Configuration, read once from the environment into a frozen {@link Config}.
 *
 * This is the only module that reads environment variables. Every setting is
 * documented with its default; a bad value fails at start with a message that
 * names the variable.
 *
 * @module
 */

/** Log levels in increasing severity. */
export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;

/** A log level name. */
export type LogLevel = typeof LOG_LEVELS[number];

/** The resolved configuration of one app instance. Every field is required. */
export interface Config {
  /** `MLX_MANAGER_PORT`: port of the web app. @default 8080 */
  readonly port: number;
  /** `MLX_MANAGER_HOST`: address the web app binds. @default "127.0.0.1" */
  readonly host: string;
  /** `MLX_MANAGER_DATA_DIR`: database, KV store, secret and logs. @default "~/.mlx-manager" */
  readonly dataDir: string;
  /** `MLX_MANAGER_DATABASE_PATH`: SQLite file, or `:memory:`. @default "<data dir>/mlx-manager.db" */
  readonly databasePath: string;
  /** `MLX_MANAGER_KV_PATH`: Deno KV file, or `:memory:`. @default "<data dir>/kv.sqlite3" */
  readonly kvPath: string;
  /** `MLX_MANAGER_JWT_SECRET`: signing key for sessions; `null` means a random per-install secret kept in the data dir. */
  readonly jwtSecret: string | null;
  /** `MLX_MANAGER_JWT_EXPIRE_DAYS`: session lifetime in days. @default 7 */
  readonly jwtExpireDays: number;
  /** `MLX_MANAGER_MLX_SERVER`: the server executable to spawn. @default "mlx-openai-server" (looked up on PATH) */
  readonly mlxServer: string;
  /** `MLX_MANAGER_HEALTH_INTERVAL`: seconds between health sweeps. @default 10 */
  readonly healthInterval: number;
  /** `MLX_MANAGER_HEALTH_TIMEOUT`: seconds one health probe may take. @default 3 */
  readonly healthTimeout: number;
  /** `MLX_MANAGER_START_TIMEOUT`: seconds a server may take to become healthy. @default 600 */
  readonly startTimeout: number;
  /** `MLX_MANAGER_STOP_TIMEOUT`: seconds between SIGTERM and SIGKILL. @default 10 */
  readonly stopTimeout: number;
  /** `MLX_MANAGER_STOP_SERVERS_ON_EXIT`: stop every model server on a graceful shutdown. @default true */
  readonly stopServersOnExit: boolean;
  /** `MLX_MANAGER_DEFAULT_PORT_START`: first port offered to new profiles. @default 10240 */
  readonly defaultPortStart: number;
  /** `MLX_MANAGER_OFFLINE`: never contact the hub. @default false */
  readonly offline: boolean;
  /** `MLX_MANAGER_LOG_LEVEL`: `debug`, `info`, `warn`, `error` or `silent`. @default "info" */
  readonly logLevel: LogLevel;
  /** `MLX_MANAGER_DEV`: development mode (live reload, no asset caching). @default false */
  readonly dev: boolean;
  /** `MLX_MANAGER_SSE_KEEPALIVE`: seconds between keep-alive comments on event streams. @default 15 */
  readonly sseKeepAlive: number;
  /** `MLX_MANAGER_CHAT_MAX_TOOL_ROUNDS`: tool-call rounds per chat turn. @default 5 */
  readonly chatMaxToolRounds: number;
  /** `MLX_MANAGER_CHAT_TIMEOUT`: seconds a model server may stay silent during a chat answer. @default 300 */
  readonly chatTimeout: number;
  /** `MLX_MANAGER_MCP_TOOL_TIMEOUT`: seconds one MCP tool call may take. @default 30 */
  readonly mcpToolTimeout: number;
  /** `MLX_MANAGER_MCP_MAX_OUTPUT`: characters of an MCP tool's result handed to the model. @default 100000 */
  readonly mcpMaxOutput: number;
  /** `MLX_MANAGER_MCP_CONFIRM_TIMEOUT`: seconds a tool call waits for the user's confirmation. @default 300 */
  readonly mcpConfirmTimeout: number;
  /** `MLX_MANAGER_MCP_CONNECT_TIMEOUT`: seconds an MCP server may take to answer the handshake. @default 30 */
  readonly mcpConnectTimeout: number;
  /** `MLX_MANAGER_UPSTREAM_CONNECT_TIMEOUT`: seconds a remote upstream may take to accept a connection or answer a probe. @default 10 */
  readonly upstreamConnectTimeout: number;
  /**
   * `MLX_MANAGER_UPSTREAM_ANSWER_TIMEOUT`: seconds a remote upstream may take to begin its answer
   * to a forwarded request (a peer may first start the model).
   * @default MLX_MANAGER_START_TIMEOUT + MLX_MANAGER_CHAT_TIMEOUT
   */
  readonly upstreamAnswerTimeout: number;
  /** `HF_ENDPOINT`: the Hugging Face hub. @default "https://huggingface.co" */
  readonly hfEndpoint: string;
  /** `HF_TOKEN`: access token for gated and private repos. @default null */
  readonly hfToken: string | null;
  /** `HF_HOME`: Hugging Face home. @default "$XDG_CACHE_HOME/huggingface" or "~/.cache/huggingface" */
  readonly hfHome: string;
  /** `HF_HUB_CACHE`: model cache. @default "<HF_HOME>/hub" */
  readonly hfHubCache: string;
  /** `HOME`: the user's home folder, used to expand `~`. */
  readonly home: string;
  /** `MLX_MANAGER_MAX_MEMORY_PERCENT`: share of memory models should fit in (`mlx_recommended_gb`). @default 80 */
  readonly maxMemoryPercent: number;
  /** `MLX_MANAGER_METRICS_INTERVAL`: seconds between system memory/GPU samples while someone watches. @default 5 */
  readonly metricsInterval: number;
  /**
   * `MLX_MANAGER_ALLOWED_HOSTS`: host names (comma-separated) the app answers besides IP addresses,
   * `localhost`, this machine's host name and `<host name>.local`; others get 421. @default none
   */
  readonly allowedHosts: readonly string[];
  /** `PATH`: where executables such as `mlx-openai-server` are looked up. */
  readonly path: string;
  /** `MLX_MANAGER_MAX_LOADED_MODELS`: model servers loaded at once for requests; more stops the least recently used idle one. 0 = no limit. @default 0 */
  readonly maxLoadedModels: number;
  /** `MLX_MANAGER_MEMORY_BUDGET_GB`: memory the models loaded for requests may take; null = the `MLX_MANAGER_MAX_MEMORY_PERCENT` share of memory. @default null */
  readonly memoryBudgetGb: number | null;
  /**
   * The manager's variables a model server inherits: `PATH`, `HOME`, the
   * locale (`LANG`, `LANGUAGE`, `LC_*`) and `HF_*`; nothing else of the
   * manager's environment reaches it.
   */
  readonly serverEnv: Readonly<Record<string, string>>;
  /** `MLX_MANAGER_GATEWAY_AUTH`: `key` (an API key or session on `/v1`) or `none` (no key; loopback binds only). @default "key" */
  readonly gatewayAuth: "key" | "none";
  /** `MLX_MANAGER_ACTIVITY_DAYS`: days `/v1` activity rows are kept. @default 30 */
  readonly activityDays: number;
  /** `MLX_MANAGER_RESPONSES_DAYS`: days stored `/v1/responses` answers are kept. @default 30 */
  readonly responsesDays: number;
  /**
   * `MLX_MANAGER_CLIENT_TIMEOUT`: seconds a client may take to send a request's headers, may
   * leave between two pieces of its body or between two requests, and may go without reading
   * a stream the manager sends it; past that its connection is closed. @default 60
   */
  readonly clientTimeout: number;
  /**
   * `TZ`: the manager's time zone (IANA name), in which token budgets' days,
   * weeks and months begin and usage is bucketed. @default the system's
   */
  readonly timeZone: string;
  /**
   * `MLX_MANAGER_METRICS_TOKEN`: a Bearer token that may read `GET /metrics`
   * (besides an admin's key or session); at least 16 characters. @default null (admins only)
   */
  readonly metricsToken: string | null;
}

/** The manager's variables a model server gets: everything else (keys, secrets) stays with the manager. */
function serverEnv(env: Env, home: string, path: string): Record<string, string> {
  const out: Record<string, string> = { PATH: path, HOME: home };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (name === "LANG" || name === "LANGUAGE" || name.startsWith("LC_") || name.startsWith("HF_")) {
      out[name] = value;
    }
  }
  return out;
}

/** Whether a bind address only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Raised when an environment variable holds a value that cannot be used. */
export class ConfigError extends Error {
  /** @param variable the variable's name @param detail what is wrong with it */
  constructor(readonly variable: string, detail: string) {
    super(`Cannot read ${variable}: ${detail}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === "" ? undefined : value;
}

function integer(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw)) {
    throw new ConfigError(name, `"${raw}" is not a whole number`);
  }
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(name, `${value} is outside ${min}–${max}`);
  }
  return value;
}

function positive(env: Env, name: string, fallback: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigError(name, `"${raw}" is not a positive number`);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (["1", "true", "yes", "on"].includes(raw)) return true;
  if (["0", "false", "no", "off"].includes(raw)) return false;
  throw new ConfigError(name, `"${raw}" is not true or false`);
}

function expand(path: string, home: string): string {
  if (path === "~") return home;
  return path.startsWith("~/") ? `${home}${path.slice(1)}` : path;
}

function url(env: Env, name: string, fallback: string): string {
  const raw = text(env, name) ?? fallback;
  if (!URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol)) {
    throw new ConfigError(name, `"${raw}" is not an http(s) URL`);
  }
  return raw.replace(/\/+$/, "");
}

/**
 * Resolves the configuration from environment variables.
 *
 * @example Build a test configuration
 * ```ts
 * const config = loadConfig({ MLX_MANAGER_DATABASE_PATH: ":memory:", HOME: "/tmp/x" });
 * config.port; // 8080
 * ```
 */
export function loadConfig(env: Env = Deno.env.toObject()): Config {
  const home = text(env, "HOME") ?? text(env, "USERPROFILE") ?? ".";
  const dataDir = expand(
    text(env, "MLX_MANAGER_DATA_DIR") ?? "~/.mlx-manager",
    home,
  );
  const logLevel = (text(env, "MLX_MANAGER_LOG_LEVEL") ?? "info").toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(
      "MLX_MANAGER_LOG_LEVEL",
      `"${logLevel}" is not one of ${LOG_LEVELS.join(", ")}`,
    );
  }
  const jwtSecret = text(env, "MLX_MANAGER_JWT_SECRET") ?? null;
  if (jwtSecret !== null && jwtSecret.length < 32) {
    throw new ConfigError(
      "MLX_MANAGER_JWT_SECRET",
      "it must be at least 32 characters long",
    );
  }
  const cacheHome = expand(text(env, "XDG_CACHE_HOME") ?? "~/.cache", home);
  const hfHome = expand(
    text(env, "HF_HOME") ?? `${cacheHome}/huggingface`,
    home,
  );
  const hfToken = text(env, "HF_TOKEN") ?? null;
  if (hfToken !== null && !hfToken.startsWith("hf_")) {
    throw new ConfigError("HF_TOKEN", "a Hugging Face access token starts with hf_");
  }
  const host = text(env, "MLX_MANAGER_HOST") ?? "127.0.0.1";
  if (/\s|\//.test(host)) {
    throw new ConfigError(
      "MLX_MANAGER_HOST",
      `"${host}" is not a host name or address`,
    );
  }

  const gatewayAuth = (text(env, "MLX_MANAGER_GATEWAY_AUTH") ?? "key").toLowerCase();
  if (gatewayAuth !== "key" && gatewayAuth !== "none") {
    throw new ConfigError("MLX_MANAGER_GATEWAY_AUTH", `"${gatewayAuth}" is not key or none`);
  }
  if (gatewayAuth === "none" && !isLoopbackHost(host)) {
    throw new ConfigError(
      "MLX_MANAGER_GATEWAY_AUTH",
      `none opens /v1 without a key, which is allowed only when MLX_MANAGER_HOST is a loopback address (it is ${host})`,
    );
  }

  const timeZone = text(env, "TZ")?.replace(/^:/, "") ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  try {
    new Intl.DateTimeFormat("en", { timeZone });
  } catch {
    throw new ConfigError("TZ", `"${timeZone}" is not a time zone (use an IANA name such as Europe/Paris)`);
  }
  const metricsToken = text(env, "MLX_MANAGER_METRICS_TOKEN") ?? null;
  if (metricsToken !== null && (metricsToken.length < 16 || /\s/.test(metricsToken))) {
    throw new ConfigError("MLX_MANAGER_METRICS_TOKEN", "it must be at least 16 characters, without spaces");
  }

  const startTimeout = positive(env, "MLX_MANAGER_START_TIMEOUT", 600);
  const chatTimeout = positive(env, "MLX_MANAGER_CHAT_TIMEOUT", 300);
  return Object.freeze({
    port: integer(env, "MLX_MANAGER_PORT", 8080, 0, 65535),
    host,
    dataDir,
    databasePath: expand(
      text(env, "MLX_MANAGER_DATABASE_PATH") ?? `${dataDir}/mlx-manager.db`,
      home,
    ),
    kvPath: expand(
      text(env, "MLX_MANAGER_KV_PATH") ?? `${dataDir}/kv.sqlite3`,
      home,
    ),
    jwtSecret,
    jwtExpireDays: positive(env, "MLX_MANAGER_JWT_EXPIRE_DAYS", 7),
    mlxServer: expand(
      text(env, "MLX_MANAGER_MLX_SERVER") ?? "mlx-openai-server",
      home,
    ),
    healthInterval: positive(env, "MLX_MANAGER_HEALTH_INTERVAL", 10),
    healthTimeout: positive(env, "MLX_MANAGER_HEALTH_TIMEOUT", 3),
    startTimeout,
    stopTimeout: positive(env, "MLX_MANAGER_STOP_TIMEOUT", 10),
    stopServersOnExit: boolean(env, "MLX_MANAGER_STOP_SERVERS_ON_EXIT", true),
    defaultPortStart: integer(
      env,
      "MLX_MANAGER_DEFAULT_PORT_START",
      10240,
      1024,
      65535,
    ),
    offline: boolean(env, "MLX_MANAGER_OFFLINE", false),
    logLevel: logLevel as LogLevel,
    dev: boolean(env, "MLX_MANAGER_DEV", false),
    sseKeepAlive: positive(env, "MLX_MANAGER_SSE_KEEPALIVE", 15),
    chatMaxToolRounds: integer(
      env,
      "MLX_MANAGER_CHAT_MAX_TOOL_ROUNDS",
      5,
      0,
      50,
    ),
    chatTimeout,
    mcpToolTimeout: positive(env, "MLX_MANAGER_MCP_TOOL_TIMEOUT", 30),
    mcpMaxOutput: integer(env, "MLX_MANAGER_MCP_MAX_OUTPUT", 100_000, 100, 10_000_000),
    mcpConfirmTimeout: positive(env, "MLX_MANAGER_MCP_CONFIRM_TIMEOUT", 300),
    mcpConnectTimeout: positive(env, "MLX_MANAGER_MCP_CONNECT_TIMEOUT", 30),
    upstreamConnectTimeout: positive(env, "MLX_MANAGER_UPSTREAM_CONNECT_TIMEOUT", 10),
    // A peer may start the model first, and a non-streamed answer begins only once it is complete.
    upstreamAnswerTimeout: positive(
      env,
      "MLX_MANAGER_UPSTREAM_ANSWER_TIMEOUT",
      startTimeout + chatTimeout,
    ),
    hfEndpoint: url(env, "HF_ENDPOINT", "https://huggingface.co"),
    hfToken,
    hfHome,
    hfHubCache: expand(text(env, "HF_HUB_CACHE") ?? `${hfHome}/hub`, home),
    home,
    maxMemoryPercent: integer(env, "MLX_MANAGER_MAX_MEMORY_PERCENT", 80, 1, 100),
    metricsInterval: positive(env, "MLX_MANAGER_METRICS_INTERVAL", 5),
    allowedHosts: Object.freeze(
      (text(env, "MLX_MANAGER_ALLOWED_HOSTS") ?? "").split(",").map((h) =>
        h.trim().toLowerCase().replace(/\.$/, "")
      )
        .filter(Boolean),
    ),
    path: env.PATH ?? "",
    maxLoadedModels: integer(env, "MLX_MANAGER_MAX_LOADED_MODELS", 0, 0, 1000),
    memoryBudgetGb: text(env, "MLX_MANAGER_MEMORY_BUDGET_GB") === undefined
      ? null
      : positive(env, "MLX_MANAGER_MEMORY_BUDGET_GB", 1),
    serverEnv: serverEnv(env, home, env.PATH ?? ""),
    gatewayAuth: gatewayAuth as "key" | "none",
    activityDays: integer(env, "MLX_MANAGER_ACTIVITY_DAYS", 30, 1, 3650),
    responsesDays: integer(env, "MLX_MANAGER_RESPONSES_DAYS", 30, 1, 3650),
    clientTimeout: positive(env, "MLX_MANAGER_CLIENT_TIMEOUT", 60),
    timeZone,
    metricsToken,
  });
}
