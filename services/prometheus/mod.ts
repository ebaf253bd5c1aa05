/**
 * The manager's metrics in the Prometheus text format (`GET /metrics`), made
 * with `prom-client`: requests, tokens, request duration and first-token
 * histograms, counted from the same activity rows as the usage view; queue
 * depth, requests in flight, loaded models, memory and upstream state, read
 * when scraped; and the manager's own process metrics.
 *
 * @module
 */
import client from "prom-client";
import type { ActivityItem } from "../../lib/gateway_types.ts";
import type { ServerState, ServerStatus } from "../../lib/event_types.ts";
import type { UpstreamState } from "../../lib/upstream_types.ts";

/** Every metric's name starts with this. */
export const PREFIX = "mlx_manager_";

/**
 * Default collectors of `prom-client` left out: those that read nothing under
 * Deno (no GC entries, no libuv handles or requests), and the event-loop lag
 * taken by waiting for a turn of the loop, which makes each scrape wait as
 * long (the `_min`, `_max`, `_mean` and percentile series measure the same
 * lag without waiting).
 */
export const SILENT_DEFAULTS = [
  "nodejs_eventloop_lag_seconds",
  "nodejs_gc_duration_seconds",
  "nodejs_active_handles",
  "nodejs_active_handles_total",
  "nodejs_active_requests",
  "nodejs_active_requests_total",
] as const;

const UPSTREAM_STATES: readonly UpstreamState[] = ["unknown", "online", "offline", "auth_failed"];
const LOADED: ReadonlySet<ServerState> = new Set(["starting", "running", "stopping"]);

/** What the scrape-time gauges read. */
export interface PrometheusDeps {
  /** Every profile's id and name. */
  profiles: () => { id: number; name: string }[];
  /** The servers that are not stopped. */
  servers: () => ServerStatus[];
  /** The enabled upstreams and their state. */
  upstreams: () => { name: string; state: UpstreamState }[];
}

/** What one scrape's gauges read. */
interface Scrape {
  profiles: { id: number; name: string }[];
  servers: Map<number, ServerStatus>;
}

/**
 * The metrics registry of one manager.
 *
 * @example
 * ```ts
 * const prometheus = new PrometheusMetrics({ profiles, servers, upstreams });
 * activity.onRecord((row) => prometheus.observe(row));
 * const text = await prometheus.text();
 * ```
 */
export class PrometheusMetrics {
  readonly registry = new client.Registry();
  readonly #requests: client.Counter<"model" | "endpoint" | "status">;
  readonly #tokens: client.Counter<"model" | "kind">;
  readonly #duration: client.Histogram<"model" | "endpoint">;
  readonly #firstToken: client.Histogram<"model">;
  readonly #deps: PrometheusDeps;
  /** What the gauges read, once per scrape. */
  #scrape: Scrape | null = null;

  constructor(deps: PrometheusDeps) {
    this.#deps = deps;
    const registers = [this.registry];
    const now = () => this.#now();
    client.collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
    for (const name of SILENT_DEFAULTS) this.registry.removeSingleMetric(`${PREFIX}${name}`);
    this.#requests = new client.Counter({
      name: `${PREFIX}requests_total`,
      help: "Requests to the OpenAI endpoint and the chat, by model, endpoint and HTTP status.",
      labelNames: ["model", "endpoint", "status"],
      registers,
    });
    this.#tokens = new client.Counter({
      name: `${PREFIX}tokens_total`,
      help: "Tokens of answered requests, by model and kind (prompt or completion).",
      labelNames: ["model", "kind"],
      registers,
    });
    this.#duration = new client.Histogram({
      name: `${PREFIX}request_duration_seconds`,
      help: "Time from receiving a request to the end of its answer.",
      labelNames: ["model", "endpoint"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    });
    this.#firstToken = new client.Histogram({
      name: `${PREFIX}first_token_seconds`,
      help: "Time from receiving a request to its first content, reasoning or tool-call token.",
      labelNames: ["model"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers,
    });
    const perProfile = (name: string, help: string, read: (s: ServerStatus) => number) =>
      new client.Gauge({
        name: `${PREFIX}${name}`,
        help,
        labelNames: ["profile"],
        registers,
        collect() {
          this.reset();
          const { profiles, servers } = now();
          for (const p of profiles) {
            const s = servers.get(p.id);
            this.set({ profile: p.name }, s ? read(s) : 0);
          }
        },
      });
    perProfile(
      "queue_depth",
      "Requests waiting in the manager's queue for a profile's server.",
      (s) => s.queued,
    );
    perProfile("in_flight", "Requests holding a profile's server now.", (s) => s.in_flight);
    perProfile(
      "model_loaded",
      "1 while a profile's server is starting, running or stopping.",
      (s) => LOADED.has(s.state) ? 1 : 0,
    );
    perProfile(
      "model_memory_bytes",
      "Resident memory of a profile's server process tree.",
      (s) => s.memory_bytes ?? 0,
    );
    new client.Gauge({
      name: `${PREFIX}models_loaded`,
      help: "Profiles whose server is starting, running or stopping.",
      registers,
      collect() {
        this.set([...now().servers.values()].filter((s) => LOADED.has(s.state)).length);
      },
    });
    new client.Gauge({
      name: `${PREFIX}upstream_state`,
      help: "1 for the current state of each enabled upstream (unknown, online, offline, auth_failed).",
      labelNames: ["upstream", "state"],
      registers,
      collect() {
        this.reset();
        for (const u of deps.upstreams()) {
          for (const state of UPSTREAM_STATES) {
            this.set({ upstream: u.name, state }, u.state === state ? 1 : 0);
          }
        }
      },
    });
  }

  /**
   * Counts a recorded request. The model is labelled only when a profile or
   * an upstream served it: a name nobody has would make a series per typo.
   */
  observe(row: ActivityItem): void {
    const model = row.profile_id !== null || row.upstream !== null ? row.model ?? "" : "";
    this.#requests.inc({ model, endpoint: row.endpoint, status: String(row.status) });
    if (row.prompt_tokens) this.#tokens.inc({ model, kind: "prompt" }, row.prompt_tokens);
    if (row.completion_tokens) this.#tokens.inc({ model, kind: "completion" }, row.completion_tokens);
    this.#duration.observe({ model, endpoint: row.endpoint }, row.duration_ms / 1000);
    if (row.ttft_ms !== null) this.#firstToken.observe({ model }, row.ttft_ms / 1000);
  }

  /** The exposition's media type. */
  get contentType(): string {
    return this.registry.contentType;
  }

  #now(): Scrape {
    this.#scrape ??= {
      profiles: this.#deps.profiles(),
      servers: new Map(this.#deps.servers().map((s) => [s.profile_id, s])),
    };
    return this.#scrape;
  }

  /** The metrics in the Prometheus text format (profiles and servers read once for all gauges). */
  async text(): Promise<string> {
    try {
      return await this.registry.metrics();
    } finally {
      this.#scrape = null;
    }
  }
}
