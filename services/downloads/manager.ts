/**
 * The download manager: one job per repository, owned by this service (not by
 * an HTTP request), stored in SQLite so jobs survive restarts, with pause,
 * resume, cancel and live progress on the event bus about once a second.
 *
 * @module
 */
import type { Db } from "../../db/mod.ts";
import { now } from "../../db/mod.ts";
import {
  deleteDownload,
  type DownloadRow,
  findActiveDownload,
  findDownload,
  findDownloadById,
  insertDownload,
  listDownloadFiles,
  listDownloads,
  updateDownload,
} from "../../db/downloads.ts";
import { HttpError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import type { DownloadBrief, DownloadStatus, DownloadView } from "../../lib/model_types.ts";
import { ACTIVE_DOWNLOAD_STATUSES } from "../../lib/model_types.ts";
import { Semaphore } from "../../lib/pool.ts";
import type { EventBus } from "../events.ts";
import { type HubClient, hubStatusError } from "../hub/client.ts";
import { isModelId, repoDir } from "../models/cache_layout.ts";
import type { DiskUsageReader } from "../models/disk.ts";
import { exists, removeJobData } from "./cache_files.ts";
import type { RetryPolicy } from "./fetch_file.ts";
import { JobError, JobRun } from "./job_run.ts";

/** Dependencies and tuning of a {@link DownloadManager}. */
export interface DownloadManagerOptions {
  db: Db;
  bus: EventBus;
  hub: HubClient;
  /** `HF_HUB_CACHE`. */
  cacheDir: string;
  logger: Logger;
  diskUsage: DiskUsageReader;
  /** Blobs fetched at once per job. @default 4 */
  fileConcurrency?: number;
  /** Jobs transferring at once; the others wait as `pending`. @default 2 */
  maxActiveJobs?: number;
  /** Free space to leave on the disk. @default 512 MiB */
  reserveBytes?: number;
  /** Milliseconds between progress events. @default 1000 */
  progressIntervalMs?: number;
  retry?: RetryPolicy;
  fetch?: typeof fetch;
}

/** Why a run was stopped from outside. */
const PAUSE = "pause";
const CANCEL = "cancel";
const CLOSE = "close";

interface Active {
  run: JobRun;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Owns every download job.
 *
 * @example
 * ```ts
 * const downloads = new DownloadManager({ db, bus, hub, cacheDir, logger, diskUsage: dfDiskUsage });
 * await downloads.start(); // resumes jobs left by the last run
 * const { view } = await downloads.request("mlx-community/Qwen3-8B-4bit", userId);
 * ```
 */
export class DownloadManager {
  readonly #o: DownloadManagerOptions;
  readonly #active = new Map<number, Active>();
  readonly #slots: Semaphore;
  #closed = false;

  constructor(options: DownloadManagerOptions) {
    this.#o = options;
    this.#slots = new Semaphore(options.maxActiveJobs ?? 2);
  }

  /** Resumes every job left pending or downloading by the last run (paused ones stay paused). */
  start(): Promise<void> {
    for (const row of listDownloads(this.#o.db, ["pending", "downloading"]).reverse()) {
      this.#o.logger.info("Resuming download", { model: row.modelId, task: row.taskId });
      this.#schedule(row);
    }
    return Promise.resolve();
  }

  /** Stops every transfer, keeping job states so the next start resumes them. */
  async close(): Promise<void> {
    this.#closed = true;
    const running = [...this.#active.values()];
    for (const a of running) a.controller.abort(CLOSE);
    await Promise.allSettled(running.map((a) => a.done));
  }

  /**
   * Starts the one job for a repository, or joins the job it already has (a
   * paused one resumes). Checks the repository with the hub first so a
   * missing or gated one is refused with the hub's reason.
   */
  async request(
    modelId: string,
    requestedBy: number | null = null,
  ): Promise<{ view: DownloadView; joined: boolean }> {
    if (!isModelId(modelId)) {
      const message = "Use the repository id, like mlx-community/Qwen3-8B-4bit";
      throw new HttpError(422, `model_id: ${message}`, { fields: { model_id: message } });
    }
    this.#o.hub.assertOnline();
    const joined = this.#join(modelId);
    if (joined) return joined;
    const info = await this.#o.hub.info(modelId);
    if (info.gated && !this.#o.hub.token) {
      throw hubStatusError(
        401,
        `Access to model ${modelId} is restricted: you must be authenticated`,
        modelId,
        this.#o.hub.endpoint,
        false,
      );
    }
    // Another request may have created the job while the hub answered.
    const again = this.#join(modelId);
    if (again) return again;
    const repoExisted = await exists(repoDir(this.#o.cacheDir, modelId));
    let row: DownloadRow;
    try {
      row = insertDownload(this.#o.db, {
        taskId: crypto.randomUUID(),
        modelId,
        repoExisted,
        commitSha: info.sha,
        requestedBy,
      });
    } catch (error) {
      const raced = this.#join(modelId);
      if (raced) return raced;
      throw error;
    }
    this.#o.logger.info("Download requested", { model: modelId, task: row.taskId });
    this.#schedule(row);
    return { view: this.view(row), joined: false };
  }

  #join(modelId: string): { view: DownloadView; joined: boolean } | null {
    const row = findActiveDownload(this.#o.db, modelId);
    if (!row) return null;
    if (row.status === "paused") return { view: this.#resumeRow(row), joined: true };
    return { view: this.view(row), joined: true };
  }

  #row(taskId: string): DownloadRow {
    const row = findDownload(this.#o.db, taskId);
    if (!row) throw new HttpError(404, "Download not found");
    return row;
  }

  /** Pauses a pending or running job; its partial files stay for the resume. */
  async pause(taskId: string): Promise<DownloadView> {
    const row = this.#row(taskId);
    if (row.status !== "pending" && row.status !== "downloading") {
      throw new HttpError(409, `This download is ${row.status}: only a running download can be paused`);
    }
    this.#setStatus(row, "paused");
    await this.#stop(row.id, PAUSE);
    return this.#publish(row.id);
  }

  /** Resumes a paused job, or retries a failed one (partial files are kept). */
  resume(taskId: string): DownloadView {
    const row = this.#row(taskId);
    if (row.status !== "paused" && row.status !== "failed") {
      throw new HttpError(
        409,
        `This download is ${row.status}: only a paused or failed download can be resumed`,
      );
    }
    if (row.status === "failed" && findActiveDownload(this.#o.db, row.modelId)) {
      throw new HttpError(409, `${row.modelId} already has another download in progress`);
    }
    return this.#resumeRow(row);
  }

  #resumeRow(row: DownloadRow): DownloadView {
    updateDownload(this.#o.db, row.id, { status: "pending", error: null, errorCode: null });
    this.#schedule(findDownload(this.#o.db, row.taskId)!);
    return this.#publish(row.id);
  }

  /** Cancels a job and removes the data it wrote (partial files included). */
  async cancel(taskId: string): Promise<DownloadView> {
    const row = this.#row(taskId);
    if (!ACTIVE_DOWNLOAD_STATUSES.includes(row.status)) {
      throw new HttpError(409, `This download is ${row.status} and cannot be cancelled`);
    }
    this.#setStatus(row, "cancelled");
    await this.#stop(row.id, CANCEL);
    await this.#removeData(row);
    return this.#publish(row.id);
  }

  /** Removes a finished job from the list; a failed job's partial files go with it. */
  async dismiss(taskId: string): Promise<void> {
    const row = this.#row(taskId);
    if (ACTIVE_DOWNLOAD_STATUSES.includes(row.status)) {
      throw new HttpError(409, "This download is still in progress: cancel it first");
    }
    if (row.status === "failed" && !findActiveDownload(this.#o.db, row.modelId)) await this.#removeData(row);
    deleteDownload(this.#o.db, row.id);
  }

  async #removeData(row: DownloadRow): Promise<void> {
    const files = listDownloadFiles(this.#o.db, row.id);
    await removeJobData(this.#o.cacheDir, row.modelId, row.commitSha, files, row.repoExisted);
    this.#o.bus.publish("models.changed", { id: row.modelId });
  }

  async #stop(id: number, reason: string): Promise<void> {
    const active = this.#active.get(id);
    if (!active) return;
    active.controller.abort(reason);
    await active.done;
  }

  /** A job, or null. */
  get(taskId: string): DownloadView | null {
    const row = findDownload(this.#o.db, taskId);
    return row ? this.view(row) : null;
  }

  /** Jobs, newest first; `active` keeps only those with work left. */
  list(options: { active?: boolean } = {}): DownloadView[] {
    return listDownloads(this.#o.db, options.active ? ACTIVE_DOWNLOAD_STATUSES : undefined).map((r) =>
      this.view(r)
    );
  }

  /** The active job of a model, in brief, or null. */
  briefFor(modelId: string): DownloadBrief | null {
    const row = findActiveDownload(this.#o.db, modelId);
    if (!row) return null;
    const v = this.view(row);
    return { task_id: v.task_id, status: v.status, progress: v.progress };
  }

  /** The public view of a job, with live numbers when it is running. */
  view(row: DownloadRow): DownloadView {
    const live = this.#active.get(row.id)?.run.progress();
    const downloaded = live?.downloaded ?? row.downloadedBytes;
    const total = live?.total ?? row.totalBytes;
    const speed = row.status === "downloading" ? Math.round(live?.speed ?? 0) : 0;
    const completed = row.status === "completed";
    const progress = completed ? 100 : total ? Math.min(99, Math.floor((downloaded / total) * 100)) : 0;
    return {
      task_id: row.taskId,
      model_id: row.modelId,
      status: row.status,
      progress,
      downloaded_bytes: completed && total ? total : downloaded,
      total_bytes: total,
      speed_bps: speed,
      eta_seconds: speed > 0 && total ? Math.round((total - downloaded) / speed) : null,
      current_file: row.status === "downloading" ? live?.current ?? null : null,
      files_done: live?.filesDone ?? row.filesDone,
      files_total: live?.filesTotal ?? row.filesTotal,
      error: row.error,
      error_code: row.errorCode,
      created_at: row.createdAt,
      updated_at: row.updatedAt,
      completed_at: row.completedAt,
    };
  }

  #setStatus(
    row: DownloadRow,
    status: DownloadStatus,
    extra: Parameters<typeof updateDownload>[2] = {},
  ): void {
    const live = this.#active.get(row.id)?.run.progress();
    updateDownload(this.#o.db, row.id, {
      status,
      ...(live ? { downloadedBytes: live.downloaded, filesDone: live.filesDone } : {}),
      ...extra,
    });
  }

  #publish(id: number): DownloadView {
    const view = this.view(findDownloadById(this.#o.db, id)!);
    this.#o.bus.publish("download.update", view);
    return view;
  }

  #schedule(row: DownloadRow): void {
    if (this.#closed || this.#active.has(row.id)) return;
    const controller = new AbortController();
    const run = new JobRun(
      {
        db: this.#o.db,
        hub: this.#o.hub,
        cacheDir: this.#o.cacheDir,
        logger: this.#o.logger,
        diskUsage: this.#o.diskUsage,
        fileConcurrency: this.#o.fileConcurrency ?? 4,
        reserveBytes: this.#o.reserveBytes ?? 512 * 1024 * 1024,
        retry: this.#o.retry,
        fetch: this.#o.fetch,
      },
      row,
      controller.signal,
    );
    const active: Active = { run, controller, done: Promise.resolve() };
    this.#active.set(row.id, active);
    active.done = this.#execute(row, active).finally(() => this.#active.delete(row.id));
  }

  async #execute(row: DownloadRow, { run, controller }: Active): Promise<void> {
    let release: (() => void) | null = null;
    let ticker: ReturnType<typeof setInterval> | undefined;
    try {
      release = await this.#slots.acquire(controller.signal);
      const tick = () => {
        // A pause or cancel has already written its status; a late tick must not undo it.
        if (controller.signal.aborted) return;
        run.meter.sample(run.progress().downloaded);
        this.#setStatus(row, "downloading");
        this.#publish(row.id);
      };
      await run.execute(() => {
        tick();
        ticker = setInterval(tick, this.#o.progressIntervalMs ?? 1000);
      });
      clearInterval(ticker);
      // Finished just as it was cancelled: the cancel removes the files, so it must not count as done.
      if (controller.signal.reason === CANCEL) return;
      const total = run.progress().total;
      this.#setStatus(row, "completed", { completedAt: now(), downloadedBytes: total ?? 0 });
      this.#publish(row.id);
      this.#o.bus.publish("models.changed", { id: row.modelId });
      this.#o.logger.info("Download completed", { model: row.modelId, bytes: total });
    } catch (error) {
      if (controller.signal.aborted && [PAUSE, CANCEL, CLOSE].includes(controller.signal.reason)) return;
      const code = error instanceof JobError
        ? error.code
        : error instanceof HttpError
        ? error.code ?? "hub_error"
        : "network";
      const message = (error as Error).message ?? String(error);
      this.#o.logger.warn("Download failed", { model: row.modelId, error: message });
      this.#setStatus(row, "failed", { error: message, errorCode: code });
      this.#publish(row.id);
    } finally {
      clearInterval(ticker);
      release?.();
    }
  }
}
