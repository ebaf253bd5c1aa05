/**
 * The upstreams registry: remote OpenAI-compatible servers (other MLX
 * Managers, exo, any server) that `/v1` routes to. Admins register them (the
 * key sealed at rest, never shown); the registry probes each one's health and
 * models on the app's scheduler, backs off from one that is offline, and
 * tells the gateway what each serves and how to reach it.
 *
 * @module
 */
import { AppError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import type {
  RemoteMachineView,
  UpstreamKind,
  UpstreamModel,
  UpstreamState,
  UpstreamView,
} from "../../lib/upstream_types.ts";
import type { Db } from "../../db/mod.ts";
import { type UpstreamFields, type UpstreamRow, UpstreamsRepo } from "../../db/upstreams.ts";
import type { EventBus } from "../events.ts";
import type { Scheduler } from "../scheduler.ts";
import type { SecretBox } from "../secrets.ts";
import type { UpstreamInput } from "./schemas.ts";
import { probe as probeUpstream, type ProbeResult, type ProbeTarget } from "./probe.ts";
import { nextProbeDelay } from "./backoff.ts";

/** How often the registry looks at upstreams. */
export interface UpstreamTiming {
  /** Between health probes of an online upstream. @default 10000 */
  healthMs: number;
  /** Between model discoveries. @default 60000 */
  discoverMs: number;
  /** The longest wait between probes of an offline upstream. @default 120000 */
  maxBackoffMs: number;
}

/** The default timing. */
export const DEFAULT_UPSTREAM_TIMING: UpstreamTiming = {
  healthMs: 10_000,
  discoverMs: 60_000,
  maxBackoffMs: 120_000,
};

/** What {@link Upstreams} needs. */
export interface UpstreamsOptions {
  db: Db;
  bus: EventBus;
  secrets: SecretBox;
  logger: Logger;
  /** How long a connection or a probe may take. */
  connectTimeoutMs: number;
  /** How long a forwarded request may wait for the start of its answer. @default 15 minutes */
  answerTimeoutMs?: number;
  timing?: Partial<UpstreamTiming>;
  /** Replaces the probe (tests of the scheduling alone). @default an HTTP `GET <base_url>/models` */
  probe?: (target: ProbeTarget) => Promise<ProbeResult>;
}

/** An enabled upstream as the gateway routes to it. */
export interface RemoteTarget {
  id: number;
  name: string;
  kind: UpstreamKind;
  /** Ends in `/v1`. */
  baseUrl: string;
  state: UpstreamState;
  /** The models it serves now (the last known ones while it is offline). */
  models: UpstreamModel[];
}

/** The live half of an upstream: what the probes found. */
interface Health {
  state: UpstreamState;
  error: string | null;
  latencyMs: number | null;
  checkedAt: string | null;
  /** Failed probes in a row. */
  failures: number;
  /** `performance.now()` at which the next health probe is due. */
  dueAt: number;
  discovered: UpstreamModel[] | null;
  probing: Promise<void> | null;
}

const freshHealth = (): Health => ({
  state: "unknown",
  error: null,
  latencyMs: null,
  checkedAt: null,
  failures: 0,
  dueAt: 0,
  discovered: null,
  probing: null,
});

const keyContext = (id: number) => `upstream|${id}|api_key`;

/**
 * The registry.
 *
 * @example
 * ```ts
 * const upstreams = new Upstreams({ db, bus, secrets, logger, connectTimeoutMs: 10_000 });
 * upstreams.schedule(scheduler);
 * await upstreams.create({ name: "studio", kind: "mlx-manager", base_url: "http://studio.local:8080/v1",
 *   api_key: "mlxm_…", models: "discover", enabled: true });
 * ```
 */
export class Upstreams {
  readonly #repo: UpstreamsRepo;
  readonly #bus: EventBus;
  readonly #secrets: SecretBox;
  readonly #logger: Logger;
  readonly #timeoutMs: number;
  readonly #answerTimeoutMs: number;
  readonly #timing: UpstreamTiming;
  readonly #probe: (target: ProbeTarget) => Promise<ProbeResult>;
  readonly #health = new Map<number, Health>();
  /** Keys in clear, opened once per upstream (null: it takes none). */
  readonly #keys = new Map<number, Promise<string | null>>();
  /** Every probe under way, including those of upstreams redefined since. */
  readonly #running = new Set<Promise<void>>();
  #closed = false;
  /** The rows as stored; only this registry writes them, so it is dropped on each write. */
  #cache: UpstreamRow[] | null = null;

  constructor(options: UpstreamsOptions) {
    this.#repo = new UpstreamsRepo(options.db);
    this.#bus = options.bus;
    this.#secrets = options.secrets;
    this.#logger = options.logger;
    this.#timeoutMs = options.connectTimeoutMs;
    this.#answerTimeoutMs = options.answerTimeoutMs ?? 900_000;
    this.#timing = { ...DEFAULT_UPSTREAM_TIMING, ...options.timing };
    this.#probe = options.probe ?? ((target) => probeUpstream(target));
  }

  /** How long a connection may take, in ms. */
  get connectTimeoutMs(): number {
    return this.#timeoutMs;
  }

  /** How long a forwarded request may wait for the start of its answer, in ms. */
  get answerTimeoutMs(): number {
    return this.#answerTimeoutMs;
  }

  /** Registers the health and discovery jobs; they run once the scheduler starts. */
  schedule(scheduler: Scheduler): void {
    // The health job runs at a fine grain and probes only the upstreams that are due (backoff).
    scheduler.every("upstreams.health", Math.min(this.#timing.healthMs, 1000), () => this.tick());
    scheduler.every("upstreams.discover", this.#timing.discoverMs, () => this.discover());
  }

  /** Probes every enabled upstream once (at start). */
  async start(): Promise<void> {
    await this.discover();
  }

  /** Stops probing; probes under way finish. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#running]);
  }

  /** Every upstream, oldest first. */
  list(): UpstreamView[] {
    return this.#rows().map((r) => this.#view(r));
  }

  /** One upstream; 404 when unknown. */
  get(id: number): UpstreamView {
    return this.#view(this.#row(id));
  }

  /** The machines for the dashboard: no URL, no key. */
  machines(): RemoteMachineView[] {
    return this.#rows().filter((r) => r.enabled).map((r) => this.#machine(r));
  }

  /** Registers an upstream and probes it in the background. */
  async create(input: UpstreamInput): Promise<UpstreamView> {
    this.#assertNameFree(input.name, null);
    this.#cache = null;
    const row = this.#unique(input.name, () => this.#repo.insert({ ...this.#plain(input), api_key: null }));
    const sealed = input.api_key
      ? this.#repo.update(row.id, {
        ...this.#plain(input),
        api_key: await this.#secrets.seal(input.api_key, keyContext(row.id)),
      })!
      : row;
    this.#cache = null;
    this.#logger.info("Upstream registered", { id: row.id, name: row.name, kind: row.kind });
    this.#changed(sealed);
    this.#startProbe(sealed, true);
    return this.#view(sealed);
  }

  /** Replaces an upstream's definition (an absent `api_key` keeps the stored one) and probes it again. */
  async update(id: number, input: UpstreamInput): Promise<UpstreamView> {
    const before = this.#row(id);
    this.#assertNameFree(input.name, id);
    const apiKey = input.api_key === undefined
      ? before.api_key
      : input.api_key
      ? await this.#secrets.seal(input.api_key, keyContext(id))
      : null;
    const row = this.#unique(
      input.name,
      () => this.#repo.update(id, { ...this.#plain(input), api_key: apiKey })!,
    );
    this.#cache = null;
    this.#keys.delete(id);
    this.#health.set(id, freshHealth());
    this.#changed(row);
    this.#startProbe(row, true);
    return this.#view(row);
  }

  /** Removes an upstream. */
  remove(id: number): void {
    const row = this.#row(id);
    this.#repo.delete(id);
    this.#cache = null;
    this.#keys.delete(id);
    this.#health.delete(id);
    this.#logger.info("Upstream removed", { id, name: row.name });
    this.#bus.publish("upstreams.changed", { id, machine: null });
  }

  /** Probes one upstream now (health and models) and answers its view. */
  async check(id: number): Promise<UpstreamView> {
    const row = this.#row(id);
    await this.#startProbe(row, true);
    return this.#view(this.#row(id));
  }

  /** The health pass: probes the enabled upstreams whose next probe is due. */
  async tick(): Promise<void> {
    const now = performance.now();
    await Promise.all(
      this.#rows().filter((r) => r.enabled && this.#healthOf(r.id).dueAt <= now).map((r) =>
        this.#startProbe(r, r.kind === "mlx-manager")
      ),
    );
  }

  /** The discovery pass: probes every enabled upstream that is not backing off, refreshing its models. */
  async discover(): Promise<void> {
    const now = performance.now();
    await Promise.all(
      this.#rows().filter((r) => {
        const h = this.#healthOf(r.id);
        return r.enabled && (h.failures === 0 || h.dueAt <= now);
      }).map((r) => this.#startProbe(r, true)),
    );
  }

  /** The enabled upstreams, oldest first, as the gateway routes to them. */
  targets(): RemoteTarget[] {
    return this.#rows().filter((r) => r.enabled).map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      baseUrl: r.base_url,
      state: this.#healthOf(r.id).state,
      models: this.#served(r),
    }));
  }

  /** The upstream's key in clear, for the `Authorization` header of a forwarded request. */
  apiKey(id: number): Promise<string | null> {
    let key = this.#keys.get(id);
    if (!key) {
      const row = this.#find(id);
      key = row?.api_key ? this.#secrets.open(row.api_key, keyContext(id)) : Promise.resolve(null);
      key.catch(() => this.#keys.delete(id));
      this.#keys.set(id, key);
    }
    return key;
  }

  /** The gateway could not connect: the upstream is offline until a probe or a request reaches it. */
  markUnreachable(id: number, reason: string): void {
    const row = this.#find(id);
    if (!row) return;
    const h = this.#healthOf(id);
    const was = h.state;
    h.state = "offline";
    h.error = `Cannot reach it: ${reason}`;
    h.failures = Math.max(1, h.failures);
    // Look again soon: it may be back before the backoff would have said.
    h.dueAt = Math.min(h.dueAt, performance.now() + this.#timing.healthMs);
    if (was !== "offline") this.#changed(row);
  }

  /** A forwarded request got an answer: an offline upstream is online again. */
  markReachable(id: number): void {
    const h = this.#health.get(id);
    const row = this.#find(id);
    if (!h || !row || h.state !== "offline") return;
    h.state = "online";
    h.error = null;
    h.failures = 0;
    h.dueAt = performance.now();
    this.#changed(row);
  }

  #rows(): UpstreamRow[] {
    return this.#cache ??= this.#repo.list();
  }

  #find(id: number): UpstreamRow | null {
    return this.#rows().find((r) => r.id === id) ?? null;
  }

  #healthOf(id: number): Health {
    let h = this.#health.get(id);
    if (!h) {
      h = freshHealth();
      this.#health.set(id, h);
    }
    return h;
  }

  #startProbe(row: UpstreamRow, withModels: boolean): Promise<void> {
    const h = this.#healthOf(row.id);
    if (h.probing) return h.probing;
    if (this.#closed) return Promise.resolve();
    const run = this.#runProbe(row, h, withModels).finally(() => {
      h.probing = null;
      this.#running.delete(run);
    });
    h.probing = run;
    this.#running.add(run);
    return run;
  }

  async #runProbe(row: UpstreamRow, h: Health, withModels: boolean): Promise<void> {
    let apiKey: string | null;
    try {
      apiKey = await this.apiKey(row.id);
    } catch (error) {
      this.#apply(row, h, {
        state: "auth_failed",
        error: (error as Error).message,
        latencyMs: null,
        models: null,
      }, false);
      return;
    }
    const result = await this.#probe({
      kind: row.kind,
      baseUrl: row.base_url,
      apiKey,
      timeoutMs: this.#timeoutMs,
      listed: row.models !== "discover",
    });
    // Removed or redefined while the probe ran: its answer is about another upstream.
    const now = this.#find(row.id);
    if (!now || now.updated_at !== row.updated_at || this.#health.get(row.id) !== h) return;
    this.#apply(now, h, result, withModels);
  }

  #apply(row: UpstreamRow, h: Health, result: ProbeResult, withModels: boolean): void {
    const before = JSON.stringify([h.state, h.error, h.discovered]);
    h.state = result.state;
    h.error = result.error;
    h.latencyMs = result.latencyMs;
    h.checkedAt = new Date().toISOString();
    h.failures = result.state === "online" ? 0 : h.failures + 1;
    h.dueAt = performance.now() +
      nextProbeDelay(h.failures, this.#timing.healthMs, this.#timing.maxBackoffMs);
    if (result.models && (withModels || h.discovered === null)) h.discovered = result.models;
    if (result.state !== "online" && before.startsWith('["online"')) {
      this.#logger.warn("Upstream not online", { name: row.name, state: result.state, error: result.error });
    }
    // Latency alone changes every probe; the dashboard does not need an event for it.
    if (JSON.stringify([h.state, h.error, h.discovered]) !== before) this.#changed(row);
  }

  #served(row: UpstreamRow): UpstreamModel[] {
    const discovered = this.#health.get(row.id)?.discovered ?? [];
    if (row.models === "discover") return discovered;
    const known = new Map(discovered.map((m) => [m.id, m]));
    return row.models.map((id) =>
      known.get(id) ??
        {
          id,
          loaded: null,
          model_type: null,
          state: null,
          memory_bytes: null,
          in_flight: null,
          alias_of: null,
        }
    );
  }

  #machine(row: UpstreamRow): RemoteMachineView {
    const h = this.#healthOf(row.id);
    return {
      id: row.id,
      name: row.name,
      kind: row.kind,
      state: h.state,
      last_error: h.error,
      latency_ms: h.latencyMs,
      checked_at: h.checkedAt,
      served: this.#served(row),
    };
  }

  #view(row: UpstreamRow): UpstreamView {
    const machine = this.#machine(row);
    return {
      id: row.id,
      name: row.name,
      kind: row.kind,
      base_url: row.base_url,
      has_api_key: row.api_key !== null,
      models: row.models,
      enabled: row.enabled,
      state: row.enabled ? machine.state : "unknown",
      last_error: machine.last_error,
      latency_ms: machine.latency_ms,
      checked_at: machine.checked_at,
      served: machine.served,
      created_at: row.created_at,
      updated_at: row.updated_at,
    };
  }

  #changed(row: UpstreamRow): void {
    this.#bus.publish("upstreams.changed", { id: row.id, machine: row.enabled ? this.#machine(row) : null });
  }

  #row(id: number): UpstreamRow {
    const row = this.#find(id);
    if (!row) throw new AppError("not_found", "Upstream not found");
    return row;
  }

  #assertNameFree(name: string, id: number | null): void {
    const other = this.#repo.byName(name);
    if (other && other.id !== id) throw nameTaken(name);
  }

  /** Runs a write; a name taken meanwhile (two admins at once) is the same 409 as one taken before. */
  #unique<T>(name: string, write: () => T): T {
    try {
      return write();
    } catch (error) {
      if (/UNIQUE constraint failed: upstreams\.name/.test(String(error))) throw nameTaken(name);
      throw error;
    }
  }

  #plain(input: UpstreamInput): Omit<UpstreamFields, "api_key"> {
    return {
      name: input.name,
      kind: input.kind,
      base_url: input.base_url,
      models: input.models,
      enabled: input.enabled,
    };
  }
}

function nameTaken(name: string): AppError {
  return new AppError("conflict", `An upstream named "${name}" already exists: choose another name`, {
    fields: { name: "Already taken" },
  });
}
