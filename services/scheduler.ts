/**
 * Interval jobs on the Deno KV queue: each job re-enqueues itself with a delay
 * after it ran, so runs never overlap. One queue listener serves every job.
 *
 * @module
 */
import type { Logger } from "../lib/logger.ts";

interface Job {
  intervalMs: number;
  run: () => Promise<void> | void;
}

interface Tick {
  job: string;
  /** The scheduler instance that enqueued it; ticks left in a persistent store by an earlier run are dropped. */
  boot: string;
}

function isTick(value: unknown): value is Tick {
  return typeof value === "object" && value !== null && typeof (value as Tick).job === "string" &&
    typeof (value as Tick).boot === "string";
}

/**
 * Runs registered jobs every so often through `kv.enqueue(…, { delay })`.
 *
 * @example
 * ```ts
 * const scheduler = new Scheduler(await Deno.openKv(":memory:"), logger);
 * scheduler.every("health", 10_000, () => supervisor.tick());
 * scheduler.start();
 * ```
 */
export class Scheduler {
  readonly #kv: Deno.Kv;
  readonly #logger: Logger;
  readonly #jobs = new Map<string, Job>();
  readonly #boot = crypto.randomUUID();
  #listening: Promise<void> | null = null;
  #stopped = false;

  constructor(kv: Deno.Kv, logger: Logger) {
    this.#kv = kv;
    this.#logger = logger;
  }

  /** Registers a job; the first run comes one interval after {@link start} (or registration, once started). */
  every(name: string, intervalMs: number, run: () => Promise<void> | void): void {
    this.#jobs.set(name, { intervalMs, run });
    if (this.#listening) void this.#enqueue(name);
  }

  /** Starts listening to the queue and schedules every registered job. */
  start(): void {
    if (this.#listening || this.#stopped) return;
    this.#listening = this.#kv.listenQueue((message) => this.#handle(message));
    for (const name of this.#jobs.keys()) void this.#enqueue(name);
  }

  /** Stops scheduling; a running job finishes. Close the KV store afterwards, then await {@link done}. */
  stop(): void {
    this.#stopped = true;
  }

  /** Resolves when the queue listener has ended (after the KV store is closed). */
  get done(): Promise<void> {
    return this.#listening ?? Promise.resolve();
  }

  async #enqueue(name: string): Promise<void> {
    const job = this.#jobs.get(name);
    if (!job || this.#stopped) return;
    try {
      await this.#kv.enqueue({ job: name, boot: this.#boot } satisfies Tick, { delay: job.intervalMs });
    } catch (error) {
      if (!this.#stopped) this.#logger.error("Cannot schedule a job", { job: name, error });
    }
  }

  async #handle(message: unknown): Promise<void> {
    if (!isTick(message) || message.boot !== this.#boot || this.#stopped) return;
    const job = this.#jobs.get(message.job);
    if (!job) return;
    try {
      await job.run();
    } catch (error) {
      this.#logger.error("A scheduled job failed", { job: message.job, error });
    }
    await this.#enqueue(message.job);
  }
}
