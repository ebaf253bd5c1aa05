/**
 * The upstreams registry: remote OpenAI-compatible servers (other MLX
 * Managers, exo, any server) that `/v1` routes to. Admins register them (the
 * key sealed at rest, never shown); the registry has each one's health and
 * models probed on the app's scheduler (`health.ts`), and tells the gateway
 * what each serves and how to reach it.
 *
 * @module
 */
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
import { EntrySecrets, NamedEntries } from "../registry.ts";
import type { Scheduler } from "../scheduler.ts";
import type { SecretBox } from "../secrets.ts";
import type { UpstreamInput } from "./schemas.ts";
import { probe as probeUpstream, type ProbeResult, type ProbeTarget } from "./probe.ts";
import { DEFAULT_UPSTREAM_TIMING, UpstreamHealth, type UpstreamTiming } from "./health.ts";

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
  readonly #entries: NamedEntries<UpstreamRow>;
  readonly #bus: EventBus;
  readonly #secrets: EntrySecrets;
  readonly #logger: Logger;
  readonly #timeoutMs: number;
  readonly #answerTimeoutMs: number;
  readonly #timing: UpstreamTiming;
  readonly #health: UpstreamHealth;
  /** Keys in clear, opened once per upstream (null: it takes none). */
  readonly #keys = new Map<number, Promise<string | null>>();
  /** The rows as stored; only this registry writes them, so it is dropped on each write. */
  #cache: UpstreamRow[] | null = null;

  constructor(options: UpstreamsOptions) {
    this.#repo = new UpstreamsRepo(options.db);
    this.#entries = new NamedEntries(this.#repo, { thing: "upstream" });
    this.#bus = options.bus;
    this.#secrets = new EntrySecrets(options.secrets, "upstream");
    this.#logger = options.logger;
    this.#timeoutMs = options.connectTimeoutMs;
    this.#answerTimeoutMs = options.answerTimeoutMs ?? 900_000;
    this.#timing = { ...DEFAULT_UPSTREAM_TIMING, ...options.timing };
    this.#health = new UpstreamHealth({
      logger: options.logger,
      timing: this.#timing,
      timeoutMs: this.#timeoutMs,
      probe: options.probe ?? ((target) => probeUpstream(target)),
      apiKey: (id) => this.apiKey(id),
      find: (id) => this.#find(id),
      changed: (row) => this.#changed(row),
    });
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
    await this.#health.close();
  }

  /** Every upstream, oldest first. */
  list(): UpstreamView[] {
    return this.#rows().map((r) => this.#view(r));
  }

  /**
   * One upstream.
   *
   * @throws {AppError} `not_found` when there is none
   */
  get(id: number): UpstreamView {
    return this.#view(this.#row(id));
  }

  /** The machines for the dashboard: no URL, no key. */
  machines(): RemoteMachineView[] {
    return this.#rows().filter((r) => r.enabled).map((r) => this.#machine(r));
  }

  /** Registers an upstream and probes it in the background. */
  async create(input: UpstreamInput): Promise<UpstreamView> {
    this.#entries.assertNameFree(input.name, null);
    this.#cache = null;
    const row = this.#entries.write(
      input.name,
      () => this.#repo.insert({ ...this.#plain(input), api_key: null }),
    );
    const sealed = input.api_key
      ? this.#repo.update(row.id, {
        ...this.#plain(input),
        api_key: await this.#secrets.seal(input.api_key, row.id, "api_key"),
      })!
      : row;
    this.#cache = null;
    this.#logger.info("Upstream registered", { id: row.id, name: row.name, kind: row.kind });
    this.#changed(sealed);
    this.#health.probe(sealed, true);
    return this.#view(sealed);
  }

  /** Replaces an upstream's definition (an absent `api_key` keeps the stored one) and probes it again. */
  async update(id: number, input: UpstreamInput): Promise<UpstreamView> {
    const before = this.#row(id);
    this.#entries.assertNameFree(input.name, id);
    const apiKey = input.api_key === undefined
      ? before.api_key
      : input.api_key
      ? await this.#secrets.seal(input.api_key, id, "api_key")
      : null;
    const row = this.#entries.write(
      input.name,
      () => this.#repo.update(id, { ...this.#plain(input), api_key: apiKey })!,
    );
    this.#cache = null;
    this.#keys.delete(id);
    this.#health.reset(id);
    this.#changed(row);
    this.#health.probe(row, true);
    return this.#view(row);
  }

  /** Removes an upstream. */
  remove(id: number): void {
    const row = this.#row(id);
    this.#repo.delete(id);
    this.#cache = null;
    this.#keys.delete(id);
    this.#health.forget(id);
    this.#logger.info("Upstream removed", { id, name: row.name });
    this.#bus.publish("upstreams.changed", { id, machine: null });
  }

  /** Probes one upstream now (health and models) and answers its view. */
  async check(id: number): Promise<UpstreamView> {
    const row = this.#row(id);
    await this.#health.probe(row, true);
    return this.#view(this.#row(id));
  }

  /** The health pass: probes the enabled upstreams whose next probe is due. */
  async tick(): Promise<void> {
    await this.#health.tick(this.#rows());
  }

  /** The discovery pass: probes every enabled upstream that is not backing off, refreshing its models. */
  async discover(): Promise<void> {
    await this.#health.discover(this.#rows());
  }

  /** The enabled upstreams, oldest first, as the gateway routes to them. */
  targets(): RemoteTarget[] {
    return this.#rows().filter((r) => r.enabled).map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      baseUrl: r.base_url,
      state: this.#health.of(r.id).state,
      models: this.#health.served(r),
    }));
  }

  /** The upstream's key in clear, for the `Authorization` header of a forwarded request. */
  apiKey(id: number): Promise<string | null> {
    let key = this.#keys.get(id);
    if (!key) {
      const row = this.#find(id);
      key = row?.api_key ? this.#secrets.open(row.api_key, id, "api_key") : Promise.resolve(null);
      key.catch(() => this.#keys.delete(id));
      this.#keys.set(id, key);
    }
    return key;
  }

  /** The gateway could not connect: the upstream is offline until a probe or a request reaches it. */
  markUnreachable(id: number, reason: string): void {
    const row = this.#find(id);
    if (row) this.#health.markUnreachable(row, reason);
  }

  /** A forwarded request got an answer: an offline upstream is online again. */
  markReachable(id: number): void {
    const row = this.#find(id);
    if (row) this.#health.markReachable(row);
  }

  #rows(): UpstreamRow[] {
    return this.#cache ??= this.#repo.list();
  }

  #find(id: number): UpstreamRow | null {
    return this.#rows().find((r) => r.id === id) ?? null;
  }

  #row(id: number): UpstreamRow {
    // The cached rows are the stored ones: an id missing there is missing from the table, which says so.
    return this.#find(id) ?? this.#entries.row(id);
  }

  #machine(row: UpstreamRow): RemoteMachineView {
    return { id: row.id, name: row.name, kind: row.kind, ...this.#health.view(row) };
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
