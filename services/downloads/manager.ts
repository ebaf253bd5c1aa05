/**
 * The download manager: one job per repository, owned by this service (not by
 * an HTTP request), stored in SQLite so jobs survive restarts, with pause,
 * resume, cancel and live progress on the event bus about once a second.
 *
 * @module
 */
import {
  deleteDownload,
  type DownloadRow,
  findActiveDownload,
  findDownload,
  insertDownload,
  listDownloadFiles,
  listDownloads,
  updateDownload,
} from "../../db/downloads.ts";
import { AppError } from "../../lib/errors.ts";
import type { DownloadBrief, DownloadView } from "../../lib/model_types.ts";
import { ACTIVE_DOWNLOAD_STATUSES } from "../../lib/model_types.ts";
import type { EventBus } from "../events.ts";
import { hubStatusError } from "../hub/errors.ts";
import { isModelId, repoDir } from "../models/cache_layout.ts";
import { exists, removeJobData } from "./cache_files.ts";
import type { JobRunContext } from "./job_run.ts";
import { JobScheduler } from "./scheduler.ts";

/** Dependencies and tuning of a {@link DownloadManager}: what each job run needs, with defaults, and the bus. */
export interface DownloadManagerOptions extends Omit<JobRunContext, "fileConcurrency" | "reserveBytes"> {
  bus: EventBus;
  /** Blobs fetched at once per job. @default 4 */
  fileConcurrency?: number;
  /** Free space to leave on the disk. @default 512 MiB */
  reserveBytes?: number;
  /** Jobs transferring at once; the others wait as `pending`. @default 2 */
  maxActiveJobs?: number;
  /** Milliseconds between progress events. @default 1000 */
  progressIntervalMs?: number;
}

/** Who acts on a job: its requester and admins may pause, resume, cancel and dismiss it. */
export interface DownloadActor {
  id: number;
  isAdmin: boolean;
}

/** The answer to a download request. */
export interface DownloadRequest {
  view: DownloadView;
  /** True when the repository already had a job, which this request joined. */
  joined: boolean;
}

/**
 * Owns every download job.
 *
 * @example
 * ```ts
 * const downloads = new DownloadManager({ db, bus, hub, cacheDir, logger, diskUsage: dfDiskUsage, hashThread });
 * await downloads.start(); // resumes jobs left by the last run
 * const { view } = await downloads.request("mlx-community/Qwen3-8B-4bit", userId);
 * ```
 */
export class DownloadManager {
  readonly #options: DownloadManagerOptions;
  readonly #jobs: JobScheduler;

  constructor(options: DownloadManagerOptions) {
    this.#options = options;
    const {
      bus,
      maxActiveJobs = 2,
      progressIntervalMs = 1000,
      fileConcurrency = 4,
      reserveBytes = 512 * 1024 * 1024,
      ...run
    } = options;
    this.#jobs = new JobScheduler({ ...run, fileConcurrency, reserveBytes }, bus, {
      maxActiveJobs,
      progressIntervalMs,
    });
  }

  /** Resumes every job left pending or downloading by the last run (paused ones stay paused). */
  start(): Promise<void> {
    const left = listDownloads(this.#options.db, ["pending", "downloading"]).reverse();
    if (this.#options.hub.offline) {
      // Resuming would only fail them: they wait, unchanged, for a start without offline mode.
      if (left.length) {
        this.#options.logger.info("Offline mode: downloads wait until it is off", { jobs: left.length });
      }
      return Promise.resolve();
    }
    for (const row of left) {
      this.#options.logger.info("Resuming download", { model: row.modelId, task: row.taskId });
      this.#jobs.schedule(row);
    }
    return Promise.resolve();
  }

  /** Stops every transfer, keeping job states so the next start resumes them. */
  close(): Promise<void> {
    return this.#jobs.close();
  }

  /**
   * Starts the one job for a repository, or joins the job it already has (a
   * paused one resumes). Checks the repository with the hub first so a
   * missing or gated one is refused with the hub's reason.
   */
  async request(modelId: string, requestedBy: number | null = null): Promise<DownloadRequest> {
    if (!isModelId(modelId)) {
      const message = "Use the repository id, like mlx-community/Qwen3-8B-4bit";
      throw new AppError("invalid", `model_id: ${message}`, { fields: { model_id: message } });
    }
    this.#options.hub.assertOnline();
    const joined = this.#join(modelId);
    if (joined) return joined;
    const { hub } = this.#options;
    const info = await hub.info(modelId);
    if (info.gated && !hub.hasToken) {
      const reason = `Access to model ${modelId} is restricted: you must be authenticated`;
      throw hubStatusError(401, reason, modelId, hub.endpoint, false, "GatedRepo");
    }
    // Another request may have created the job while the hub answered.
    const again = this.#join(modelId);
    if (again) return again;
    const repoExisted = await exists(repoDir(this.#options.cacheDir, modelId));
    let row: DownloadRow;
    try {
      row = insertDownload(this.#options.db, {
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
    this.#options.logger.info("Download requested", { model: modelId, task: row.taskId });
    this.#jobs.schedule(row);
    return { view: this.#jobs.publish(row.id), joined: false };
  }

  #join(modelId: string): DownloadRequest | null {
    const row = findActiveDownload(this.#options.db, modelId);
    if (!row) return null;
    if (row.status === "paused") return { view: this.#resumeRow(row), joined: true };
    return { view: this.#jobs.view(row), joined: true };
  }

  /** The job, if `actor` (when given) may `what` it: the requester's or an admin's. */
  #row(taskId: string, actor?: DownloadActor, what = "change"): DownloadRow {
    const row = findDownload(this.#options.db, taskId);
    if (!row) throw new AppError("not_found", "Download not found");
    if (actor && !this.#mayChange(row, actor)) {
      throw new AppError("forbidden", `Only an admin can ${what} another user's download`);
    }
    return row;
  }

  #mayChange(row: DownloadRow, actor: DownloadActor): boolean {
    return actor.isAdmin || row.requestedBy === actor.id;
  }

  /** Whether `actor` may pause, resume, cancel or dismiss a job (false when there is none). */
  mayChange(taskId: string, actor: DownloadActor): boolean {
    const row = findDownload(this.#options.db, taskId);
    return row !== null && this.#mayChange(row, actor);
  }

  /**
   * Pauses a pending or running job; its partial files stay for the resume.
   * With `actor`, only its requester or an admin may (so for {@link resume}, {@link cancel} and {@link dismiss}).
   */
  async pause(taskId: string, actor?: DownloadActor): Promise<DownloadView> {
    const row = this.#row(taskId, actor, "pause");
    if (row.status !== "pending" && row.status !== "downloading") {
      throw new AppError("conflict", `This download is ${row.status}: only a running download can be paused`);
    }
    this.#jobs.setStatus(row.id, "paused");
    await this.#jobs.stop(row.id, "pause");
    return this.#jobs.publish(row.id);
  }

  /** Resumes a paused job, or retries a failed one (partial files are kept). */
  resume(taskId: string, actor?: DownloadActor): DownloadView {
    const row = this.#row(taskId, actor, "resume");
    this.#options.hub.assertOnline();
    if (row.status !== "paused" && row.status !== "failed") {
      throw new AppError(
        "conflict",
        `This download is ${row.status}: only a paused or failed download can be resumed`,
      );
    }
    if (row.status === "failed" && findActiveDownload(this.#options.db, row.modelId)) {
      throw new AppError("conflict", `${row.modelId} already has another download in progress`);
    }
    return this.#resumeRow(row);
  }

  #resumeRow(row: DownloadRow): DownloadView {
    updateDownload(this.#options.db, row.id, { status: "pending", error: null, errorCode: null });
    this.#jobs.schedule(findDownload(this.#options.db, row.taskId)!);
    return this.#jobs.publish(row.id);
  }

  /** Cancels a job and removes the data it wrote (partial files included). */
  async cancel(taskId: string, actor?: DownloadActor): Promise<DownloadView> {
    const row = this.#row(taskId, actor, "cancel");
    if (!ACTIVE_DOWNLOAD_STATUSES.includes(row.status)) {
      throw new AppError("conflict", `This download is ${row.status} and cannot be cancelled`);
    }
    this.#jobs.setStatus(row.id, "cancelled");
    await this.#jobs.stop(row.id, "cancel");
    await this.#removeData(row);
    return this.#jobs.publish(row.id);
  }

  /** Removes a finished job from the list; a failed job's partial files go with it. */
  async dismiss(taskId: string, actor?: DownloadActor): Promise<void> {
    const row = this.#row(taskId, actor, "dismiss");
    if (ACTIVE_DOWNLOAD_STATUSES.includes(row.status)) {
      throw new AppError("conflict", "This download is still in progress: cancel it first");
    }
    if (row.status === "failed" && !findActiveDownload(this.#options.db, row.modelId)) {
      await this.#removeData(row);
    }
    deleteDownload(this.#options.db, row.id);
  }

  /**
   * Removes the jobs with no work left (completed, failed, cancelled) of a
   * model whose files were deleted: they would speak of files that are gone.
   * Returns their task ids.
   */
  forgetModel(modelId: string): string[] {
    const { db } = this.#options;
    const id = modelId.toLowerCase();
    const rows = listDownloads(db).filter((r) =>
      r.modelId.toLowerCase() === id && !ACTIVE_DOWNLOAD_STATUSES.includes(r.status)
    );
    for (const row of rows) deleteDownload(db, row.id);
    return rows.map((r) => r.taskId);
  }

  async #removeData(row: DownloadRow): Promise<void> {
    const files = listDownloadFiles(this.#options.db, row.id);
    await removeJobData(this.#options.cacheDir, row.modelId, row.commitSha, files, row.repoExisted);
    this.#options.bus.publish("models.changed", { id: row.modelId });
  }

  /** A job, or null. */
  get(taskId: string): DownloadView | null {
    const row = findDownload(this.#options.db, taskId);
    return row ? this.#jobs.view(row) : null;
  }

  /**
   * Who asked for a job: `userId` is null for a job no signed-in user asked for.
   * Null when there is no such job.
   */
  requester(taskId: string): { userId: number | null } | null {
    const row = findDownload(this.#options.db, taskId);
    return row ? { userId: row.requestedBy } : null;
  }

  /** Jobs, newest first; `active` keeps only those with work left. */
  list(options: { active?: boolean } = {}): DownloadView[] {
    const statuses = options.active ? ACTIVE_DOWNLOAD_STATUSES : undefined;
    return listDownloads(this.#options.db, statuses).map((r) => this.#jobs.view(r));
  }

  /** The active job of a model, in brief, or null. */
  briefFor(modelId: string): DownloadBrief | null {
    const row = findActiveDownload(this.#options.db, modelId);
    if (!row) return null;
    const v = this.#jobs.view(row);
    return { task_id: v.task_id, status: v.status, progress: v.progress };
  }
}
