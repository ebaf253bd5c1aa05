/**
 * Publishes `system.metrics` events while a browser is connected to the event
 * stream, and keeps a short history for the System page's chart.
 *
 * When nobody listens, a tick is one integer comparison: no command runs.
 * A new listener gets a reading within a second instead of waiting for the
 * next interval.
 *
 * @module
 */
import { type Clock, systemClock } from "../../lib/clock.ts";
import type { SystemMetricsEvent } from "../../lib/event_types.ts";
import type { Logger } from "../../lib/logger.ts";
import type { EventBus } from "../events.ts";
import type { SystemService } from "./mod.ts";

/** Options of {@link MetricsSampler}. */
export interface MetricsSamplerOptions {
  system: Pick<SystemService, "metrics">;
  bus: EventBus;
  logger: Logger;
  /** Milliseconds between readings while someone listens. */
  intervalMs: number;
  /** How often the listener count is looked at. @default min(1000, intervalMs) */
  pollMs?: number;
  /** Readings kept for the chart. @default 120 */
  historySize?: number;
  /** The polling timer's clock (tests move it themselves). @default systemClock */
  clock?: Clock;
}

/**
 * Samples the system on a timer while browsers are connected to the event bus.
 *
 * @example
 * ```ts
 * const sampler = new MetricsSampler({ system, bus, logger, intervalMs: 5000 });
 * sampler.start();
 * sampler.history(); // the last readings, oldest first
 * sampler.stop();
 * ```
 */
export class MetricsSampler {
  readonly #options: MetricsSamplerOptions;
  readonly #history: SystemMetricsEvent[] = [];
  readonly #clock: Clock;
  /** Cancels the next poll; null while stopped. */
  #cancel: (() => void) | null = null;
  #listeners = 0;
  #lastSampleAt = -Infinity;
  #running: Promise<void> | null = null;
  #failedOnce = false;

  constructor(options: MetricsSamplerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /**
   * Starts looking for listeners, and takes one reading so that pages have
   * a value to show before the first browser listens.
   */
  start(): void {
    if (this.#cancel !== null) return;
    const poll = this.#options.pollMs ?? Math.min(1000, this.#options.intervalMs);
    const next = () => {
      this.#cancel = this.#clock.timeout(poll, () => {
        next();
        void this.tick();
      });
    };
    next();
    this.#lastSampleAt = this.#clock.now();
    this.#running = this.#sample().finally(() => this.#running = null);
  }

  /** Stops the timer and waits for a reading in progress. */
  async stop(): Promise<void> {
    this.#cancel?.();
    this.#cancel = null;
    await this.#running;
  }

  /** The newest reading, or null before the first. */
  latest(): SystemMetricsEvent | null {
    return this.#history.at(-1) ?? null;
  }

  /** The recent readings, oldest first. */
  history(): SystemMetricsEvent[] {
    return [...this.#history];
  }

  /** One look at the connected browsers; samples when one arrived or the interval passed. */
  tick(now: number = this.#clock.now()): Promise<void> {
    // Connected browsers only: services subscribed to the bus do not need readings.
    // While a reading runs, arrivals wait for the next look (and get their own reading then).
    if (this.#running) return this.#running;
    const count = this.#options.bus.clientCount;
    const arrived = count > this.#listeners;
    this.#listeners = count;
    if (count === 0) return Promise.resolve();
    if (!arrived && now - this.#lastSampleAt < this.#options.intervalMs) return Promise.resolve();
    this.#lastSampleAt = now;
    this.#running = this.#sample().finally(() => this.#running = null);
    return this.#running;
  }

  async #sample(): Promise<void> {
    try {
      const metrics = await this.#options.system.metrics();
      this.#history.push(metrics);
      const max = this.#options.historySize ?? 120;
      if (this.#history.length > max) this.#history.splice(0, this.#history.length - max);
      this.#options.bus.publish("system.metrics", metrics);
      this.#failedOnce = false;
    } catch (error) {
      // Log the first failure of a streak only: a broken command would otherwise log every few seconds.
      if (!this.#failedOnce) this.#options.logger.warn("Cannot read system metrics", { error });
      this.#failedOnce = true;
    }
  }
}
