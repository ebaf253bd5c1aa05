/**
 * The live half of the upstreams: what the probes found about each one, when
 * it is probed next (backing off from one that is offline), and the probes
 * under way. The registry (`registry.ts`) owns the rows; this owns what is
 * learnt about them.
 *
 * @module
 */
import type { Logger } from "../../lib/logger.ts";
import type { RemoteMachineView, UpstreamModel, UpstreamState } from "../../lib/upstream_types.ts";
import type { UpstreamRow } from "../../db/upstreams.ts";
import type { ProbeResult, ProbeTarget } from "./probe.ts";
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

/** What the probes found about one upstream. */
export interface Health {
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

/** What {@link UpstreamHealth} reads from the registry and tells it. */
export interface HealthHost {
  logger: Logger;
  timing: UpstreamTiming;
  /** How long a connection or a probe may take, in ms. */
  timeoutMs: number;
  probe(target: ProbeTarget): Promise<ProbeResult>;
  /** The upstream's key in clear (null: it takes none). */
  apiKey(id: number): Promise<string | null>;
  /** The upstream's row as stored now; null once it is removed. */
  find(id: number): UpstreamRow | null;
  /** Something the dashboard shows of the upstream changed. */
  changed(row: UpstreamRow): void;
}

/**
 * The health of every upstream, probed on the registry's scheduler.
 *
 * @example
 * ```ts
 * const health = new UpstreamHealth({ logger, timing, timeoutMs, probe, apiKey, find, changed });
 * await health.tick(rows); // probes the enabled upstreams that are due
 * health.of(row.id).state; // "online"
 * ```
 */
export class UpstreamHealth {
  readonly #host: HealthHost;
  readonly #health = new Map<number, Health>();
  /** Every probe under way, including those of upstreams redefined since. */
  readonly #running = new Set<Promise<void>>();
  #closed = false;

  constructor(host: HealthHost) {
    this.#host = host;
  }

  /** What is known of an upstream (nothing yet: `unknown`). */
  of(id: number): Health {
    let h = this.#health.get(id);
    if (!h) {
      h = freshHealth();
      this.#health.set(id, h);
    }
    return h;
  }

  /** The upstream was redefined: what was found about it no longer holds. */
  reset(id: number): void {
    this.#health.set(id, freshHealth());
  }

  /** The upstream was removed. */
  forget(id: number): void {
    this.#health.delete(id);
  }

  /** Stops probing; probes under way finish. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#running]);
  }

  /** The health pass: probes the enabled upstreams whose next probe is due. */
  async tick(rows: UpstreamRow[]): Promise<void> {
    const now = performance.now();
    await Promise.all(
      rows.filter((r) => r.enabled && this.of(r.id).dueAt <= now).map((r) =>
        this.probe(r, r.kind === "mlx-manager")
      ),
    );
  }

  /** The discovery pass: probes every enabled upstream that is not backing off, refreshing its models. */
  async discover(rows: UpstreamRow[]): Promise<void> {
    const now = performance.now();
    await Promise.all(
      rows.filter((r) => {
        const h = this.of(r.id);
        return r.enabled && (h.failures === 0 || h.dueAt <= now);
      }).map((r) => this.probe(r, true)),
    );
  }

  /** What the dashboard shows of an upstream's health. */
  view(
    row: UpstreamRow,
  ): Pick<RemoteMachineView, "state" | "last_error" | "latency_ms" | "checked_at" | "served"> {
    const h = this.of(row.id);
    return {
      state: h.state,
      last_error: h.error,
      latency_ms: h.latencyMs,
      checked_at: h.checkedAt,
      served: this.served(row),
    };
  }

  /** The models it serves: the discovered ones, or those an admin listed (with what discovery knows of them). */
  served(row: UpstreamRow): UpstreamModel[] {
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

  /** A request could not connect: the upstream is offline until a probe or a request reaches it. */
  markUnreachable(row: UpstreamRow, reason: string): void {
    const h = this.of(row.id);
    const was = h.state;
    h.state = "offline";
    h.error = `Cannot reach it: ${reason}`;
    h.failures = Math.max(1, h.failures);
    // Look again soon: it may be back before the backoff would have said.
    h.dueAt = Math.min(h.dueAt, performance.now() + this.#host.timing.healthMs);
    if (was !== "offline") this.#host.changed(row);
  }

  /** A forwarded request got an answer: an offline upstream is online again. */
  markReachable(row: UpstreamRow): void {
    const h = this.#health.get(row.id);
    if (!h || h.state !== "offline") return;
    h.state = "online";
    h.error = null;
    h.failures = 0;
    h.dueAt = performance.now();
    this.#host.changed(row);
  }

  /** Probes one upstream (its models too with `withModels`); one probe at a time per upstream. */
  probe(row: UpstreamRow, withModels: boolean): Promise<void> {
    const h = this.of(row.id);
    if (h.probing) return h.probing;
    if (this.#closed) return Promise.resolve();
    const run = this.#run(row, h, withModels).finally(() => {
      h.probing = null;
      this.#running.delete(run);
    });
    h.probing = run;
    this.#running.add(run);
    return run;
  }

  async #run(row: UpstreamRow, h: Health, withModels: boolean): Promise<void> {
    let apiKey: string | null;
    try {
      apiKey = await this.#host.apiKey(row.id);
    } catch (error) {
      this.#apply(row, h, {
        state: "auth_failed",
        error: (error as Error).message,
        latencyMs: null,
        models: null,
      }, false);
      return;
    }
    const result = await this.#host.probe({
      kind: row.kind,
      baseUrl: row.base_url,
      apiKey,
      timeoutMs: this.#host.timeoutMs,
      listed: row.models !== "discover",
    });
    // Removed or redefined while the probe ran: its answer is about another upstream.
    const now = this.#host.find(row.id);
    if (!now || now.updated_at !== row.updated_at || this.#health.get(row.id) !== h) return;
    this.#apply(now, h, result, withModels);
  }

  #apply(row: UpstreamRow, h: Health, result: ProbeResult, withModels: boolean): void {
    const { timing, logger } = this.#host;
    const before = JSON.stringify([h.state, h.error, h.discovered]);
    h.state = result.state;
    h.error = result.error;
    h.latencyMs = result.latencyMs;
    h.checkedAt = new Date().toISOString();
    h.failures = result.state === "online" ? 0 : h.failures + 1;
    h.dueAt = performance.now() + nextProbeDelay(h.failures, timing.healthMs, timing.maxBackoffMs);
    if (result.models && (withModels || h.discovered === null)) h.discovered = result.models;
    if (result.state !== "online" && before.startsWith('["online"')) {
      logger.warn("Upstream not online", { name: row.name, state: result.state, error: result.error });
    }
    // Latency alone changes every probe; the dashboard does not need an event for it.
    if (JSON.stringify([h.state, h.error, h.discovered]) !== before) this.#host.changed(row);
  }
}
