/**
 * Interval jobs on in-process timers: each job schedules its next run one
 * interval after the last one ended, so runs never overlap.
 *
 * Scheduled jobs need no durability (a restart schedules them again), and a
 * persistent queue can fail to write when the data disk is full; timers cannot,
 * so a full disk never stops the health checks or the process.
 *
 * @module
 */
import type { Logger } from "../lib/logger.ts";

interface Job {
  intervalMs: number;
  run: () => Promise<void> | void;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Runs registered jobs every so often.
 *
 * @example
 * ```ts
 * const scheduler = new Scheduler(logger);
 * scheduler.every("health", 10_000, () => supervisor.tick());
 * scheduler.start();
 * ```
 */
export class Scheduler {
  readonly #logger: Logger;
  readonly #jobs = new Map<string, Job>();
  readonly #running = new Set<Promise<void>>();
  #started = false;
  #stopped = false;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Registers a job; the first run comes one interval after {@link start} (or registration, once started). */
  every(name: string, intervalMs: number, run: () => Promise<void> | void): void {
    const previous = this.#jobs.get(name);
    if (previous?.timer !== undefined) clearTimeout(previous.timer);
    const job: Job = { intervalMs, run };
    this.#jobs.set(name, job);
    if (this.#started) this.#schedule(name, job);
  }

  /** Schedules every registered job. */
  start(): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    for (const [name, job] of this.#jobs) this.#schedule(name, job);
  }

  /** Stops scheduling; a running job finishes (await {@link done}). */
  stop(): void {
    this.#stopped = true;
    for (const job of this.#jobs.values()) {
      if (job.timer !== undefined) clearTimeout(job.timer);
      job.timer = undefined;
    }
  }

  /** Resolves when no job is running any more (after {@link stop}). */
  get done(): Promise<void> {
    return Promise.all([...this.#running]).then(() => {});
  }

  #schedule(name: string, job: Job): void {
    if (this.#stopped || this.#jobs.get(name) !== job) return;
    job.timer = setTimeout(() => {
      job.timer = undefined;
      const run = this.#run(name, job);
      this.#running.add(run);
      run.finally(() => {
        this.#running.delete(run);
        this.#schedule(name, job);
      });
    }, job.intervalMs);
  }

  async #run(name: string, job: Job): Promise<void> {
    const started = performance.now();
    try {
      await job.run();
      this.#logger.debug("Scheduled job ran", { job: name, ms: Math.round(performance.now() - started) });
    } catch (error) {
      this.#logger.error("A scheduled job failed", { job: name, error });
    }
  }
}
