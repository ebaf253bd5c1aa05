/**
 * Runs download jobs: at most a few transferring at once, a progress event
 * about once a second, and the status written to SQLite at every change so a
 * restart knows where each job stood.
 *
 * @module
 */
import { now } from "../../db/mod.ts";
import { type DownloadRow, findDownloadById, updateDownload } from "../../db/downloads.ts";
import { AppError } from "../../lib/errors.ts";
import type { DownloadStatus, DownloadView } from "../../lib/model_types.ts";
import { Semaphore } from "../../lib/pool.ts";
import type { EventBus } from "../events.ts";
import { JobRun, type JobRunContext, type RunProgress } from "./job_run.ts";
import { downloadView } from "./view.ts";

/** Why a run was stopped from outside; each keeps the status its caller wrote. */
export type StopReason = "pause" | "cancel" | "close";

const STOP_REASONS: readonly unknown[] = ["pause", "cancel", "close"];

/** Tuning of a {@link JobScheduler}. */
export interface JobSchedulerOptions {
  /** Jobs transferring at once. */
  maxActiveJobs: number;
  /** Milliseconds between progress events of a running job. */
  progressIntervalMs: number;
}

interface Active {
  run: JobRun;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Executes jobs and keeps their rows and events current.
 *
 * @example
 * ```ts
 * const scheduler = new JobScheduler(ctx, bus, { maxActiveJobs: 2, progressIntervalMs: 1000 });
 * scheduler.schedule(row);
 * await scheduler.stop(row.id, "pause");
 * ```
 */
export class JobScheduler {
  readonly #active = new Map<number, Active>();
  readonly #slots: Semaphore;
  #closed = false;

  readonly #ctx: JobRunContext;
  readonly #bus: EventBus;
  readonly #options: JobSchedulerOptions;

  constructor(ctx: JobRunContext, bus: EventBus, options: JobSchedulerOptions) {
    this.#ctx = ctx;
    this.#bus = bus;
    this.#options = options;
    this.#slots = new Semaphore(options.maxActiveJobs);
  }

  /** The live counters of a running job. */
  progress(id: number): RunProgress | undefined {
    return this.#active.get(id)?.run.progress();
  }

  /** The view of a job row, with live numbers when it runs. */
  view(row: DownloadRow): DownloadView {
    return downloadView(row, this.progress(row.id));
  }

  /** Writes a status (and the live counters) to the job's row. */
  setStatus(id: number, status: DownloadStatus, extra: Parameters<typeof updateDownload>[2] = {}): void {
    const live = this.progress(id);
    updateDownload(this.#ctx.db, id, {
      status,
      ...(live ? { downloadedBytes: live.downloaded, filesDone: live.filesDone } : {}),
      ...extra,
    });
  }

  /** Publishes the job's current view as `download.update` and returns it. */
  publish(id: number): DownloadView {
    const view = this.view(findDownloadById(this.#ctx.db, id)!);
    this.#bus.publish("download.update", view);
    return view;
  }

  /** Starts running a job (unless it already runs or the scheduler is closed). */
  schedule(row: DownloadRow): void {
    if (this.#closed || this.#active.has(row.id)) return;
    const controller = new AbortController();
    const active: Active = {
      run: new JobRun(this.#ctx, row, controller.signal),
      controller,
      done: Promise.resolve(),
    };
    this.#active.set(row.id, active);
    active.done = this.#execute(row, active).finally(() => this.#active.delete(row.id));
  }

  /** Stops a running job and waits until it has let go of its files. */
  async stop(id: number, reason: StopReason): Promise<void> {
    const active = this.#active.get(id);
    if (!active) return;
    active.controller.abort(reason);
    await active.done;
  }

  /** Stops every job for a shutdown; their rows keep their status, so the next start resumes them. */
  async close(): Promise<void> {
    this.#closed = true;
    const running = [...this.#active.values()];
    for (const a of running) a.controller.abort("close");
    await Promise.allSettled(running.map((a) => a.done));
  }

  async #execute(row: DownloadRow, { run, controller }: Active): Promise<void> {
    let release: (() => void) | null = null;
    let ticker: ReturnType<typeof setInterval> | undefined;
    try {
      release = await this.#slots.acquire(controller.signal);
      const tick = () => {
        // A pause or cancel has already written its status; a late tick must not undo it.
        if (controller.signal.aborted) return;
        run.sampleRate();
        this.setStatus(row.id, "downloading");
        this.publish(row.id);
      };
      await run.execute(() => {
        tick();
        ticker = setInterval(tick, this.#options.progressIntervalMs);
      });
      clearInterval(ticker);
      // Finished just as it was cancelled: the cancel removes the files, so it must not count as done.
      if (controller.signal.reason === "cancel") return;
      const total = run.progress().total;
      this.setStatus(row.id, "completed", { completedAt: now(), downloadedBytes: total ?? 0 });
      this.publish(row.id);
      this.#bus.publish("models.changed", { id: row.modelId });
      this.#ctx.logger.info("Download completed", { model: row.modelId, bytes: total });
    } catch (error) {
      if (controller.signal.aborted && STOP_REASONS.includes(controller.signal.reason)) return;
      // Anything that is not a service's own error is a transfer that kept failing.
      const code = error instanceof AppError ? error.reason ?? error.code : "network";
      const message = (error as Error).message ?? String(error);
      this.#ctx.logger.warn("Download failed", { model: row.modelId, error: message });
      this.setStatus(row.id, "failed", { error: message, errorCode: code });
      this.publish(row.id);
    } finally {
      clearInterval(ticker);
      release?.();
    }
  }
}
