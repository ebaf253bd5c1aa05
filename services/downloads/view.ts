/**
 * The public view of a download job: the stored row, with live numbers from
 * its run when it is transferring.
 *
 * @module
 */
import type { DownloadRow } from "../../db/downloads.ts";
import type { DownloadView } from "../../lib/model_types.ts";
import type { RunProgress } from "./job_run.ts";

/**
 * Builds the view of a job. Progress stays below 100 until the job has
 * completed, so a client never sees 100 % for a job that can still fail.
 *
 * @example
 * ```ts
 * const view = downloadView(row, run?.progress());
 * view.progress; // 0–100
 * ```
 */
export function downloadView(row: DownloadRow, live?: RunProgress): DownloadView {
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
