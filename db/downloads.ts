/**
 * The `downloads` and `download_files` tables.
 *
 * @module
 */
import { type Db, now, statement } from "./mod.ts";
import type { DownloadStatus } from "../lib/model_types.ts";
import { nullable } from "./rows.ts";

/** A row of `downloads`. */
export interface DownloadRow {
  id: number;
  taskId: string;
  modelId: string;
  status: DownloadStatus;
  commitSha: string | null;
  totalBytes: number | null;
  downloadedBytes: number;
  filesTotal: number;
  filesDone: number;
  /** Whether the repository folder existed before this job (cancel removes it otherwise). */
  repoExisted: boolean;
  error: string | null;
  errorCode: string | null;
  requestedBy: number | null;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

/** A row of `download_files`. */
export interface DownloadFileRow {
  path: string;
  /** The blob's file name: the LFS sha256, else the git blob id. */
  blobId: string;
  size: number;
  sha256: string | null;
  gitOid: string | null;
  done: boolean;
  /** Whether this job wrote the blob (so cancel may remove it). */
  fetched: boolean;
}

function toRow(r: Record<string, unknown>): DownloadRow {
  return {
    id: Number(r.id),
    taskId: String(r.task_id),
    modelId: String(r.model_id),
    status: r.status as DownloadStatus,
    commitSha: nullable(r.commit_sha, String),
    totalBytes: nullable(r.total_bytes, Number),
    downloadedBytes: Number(r.downloaded_bytes),
    filesTotal: Number(r.files_total),
    filesDone: Number(r.files_done),
    repoExisted: r.repo_existed === 1,
    error: nullable(r.error, String),
    errorCode: nullable(r.error_code, String),
    requestedBy: nullable(r.requested_by, Number),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
    completedAt: nullable(r.completed_at, String),
  };
}

/** Finds a job by its public task id. */
export function findDownload(db: Db, taskId: string): DownloadRow | null {
  const row = statement(db, "SELECT * FROM downloads WHERE task_id = ?").get(taskId);
  return row ? toRow(row) : null;
}

/** Finds a job by its row id. */
export function findDownloadById(db: Db, id: number): DownloadRow | null {
  const row = statement(db, "SELECT * FROM downloads WHERE id = ?").get(id);
  return row ? toRow(row) : null;
}

/** The job of a repository that still has work to do (pending, downloading or paused). */
export function findActiveDownload(db: Db, modelId: string): DownloadRow | null {
  const row = statement(
    db,
    "SELECT * FROM downloads WHERE model_id = ? AND status IN ('pending', 'downloading', 'paused')",
  ).get(modelId);
  return row ? toRow(row) : null;
}

/**
 * Jobs, newest first, optionally only those in `statuses`.
 *
 * @example
 * ```ts
 * const active = listDownloads(db, ["pending", "downloading", "paused"]);
 * ```
 */
export function listDownloads(db: Db, statuses?: readonly DownloadStatus[]): DownloadRow[] {
  const where = statuses ? `WHERE status IN (${statuses.map(() => "?").join(", ")})` : "";
  return statement(db, `SELECT * FROM downloads ${where} ORDER BY id DESC`).all(...(statuses ?? []))
    .map(toRow);
}

/**
 * Inserts a pending job. Throws a SQLite constraint error when the repository
 * already has an active job (the partial unique index).
 *
 * @example
 * ```ts
 * const job = insertDownload(db, { taskId: crypto.randomUUID(), modelId: "org/name", repoExisted: false });
 * ```
 */
export function insertDownload(
  db: Db,
  input: {
    taskId: string;
    modelId: string;
    repoExisted: boolean;
    commitSha?: string | null;
    requestedBy?: number | null;
  },
): DownloadRow {
  const at = now();
  statement(
    db,
    `INSERT INTO downloads (task_id, model_id, status, commit_sha, repo_existed, requested_by, created_at, updated_at)
     VALUES (?, ?, 'pending', ?, ?, ?, ?, ?)`,
  ).run(
    input.taskId,
    input.modelId,
    input.commitSha ?? null,
    input.repoExisted ? 1 : 0,
    input.requestedBy ?? null,
    at,
    at,
  );
  return findDownload(db, input.taskId)!;
}

const COLUMNS: Record<string, string> = {
  status: "status",
  commitSha: "commit_sha",
  totalBytes: "total_bytes",
  downloadedBytes: "downloaded_bytes",
  filesTotal: "files_total",
  filesDone: "files_done",
  error: "error",
  errorCode: "error_code",
  completedAt: "completed_at",
};

/**
 * Updates some columns of a job and its `updated_at`.
 *
 * @example
 * ```ts
 * updateDownload(db, job.id, { status: "failed", error: "Disk full", errorCode: "disk_full" });
 * ```
 */
export function updateDownload(
  db: Db,
  id: number,
  changes: Partial<
    Pick<
      DownloadRow,
      | "status"
      | "commitSha"
      | "totalBytes"
      | "downloadedBytes"
      | "filesTotal"
      | "filesDone"
      | "error"
      | "errorCode"
      | "completedAt"
    >
  >,
): void {
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
  const sets = entries.map(([k]) => `${COLUMNS[k]} = ?`);
  const values = entries.map(([, v]) => v as string | number | null);
  statement(db, `UPDATE downloads SET ${[...sets, "updated_at = ?"].join(", ")} WHERE id = ?`)
    .run(...values, now(), id);
}

/** Deletes a job and its file rows. */
export function deleteDownload(db: Db, id: number): void {
  statement(db, "DELETE FROM downloads WHERE id = ?").run(id);
}

/** The files of a job, in path order. */
export function listDownloadFiles(db: Db, downloadId: number): DownloadFileRow[] {
  return statement(db, "SELECT * FROM download_files WHERE download_id = ? ORDER BY path").all(downloadId)
    .map((
      r,
    ) => ({
      path: String(r.path),
      blobId: String(r.blob_id),
      size: Number(r.size),
      sha256: nullable(r.sha256, String),
      gitOid: nullable(r.git_oid, String),
      done: r.done === 1,
      fetched: r.fetched === 1,
    }));
}

/**
 * Replaces the file list of a job.
 *
 * @example
 * ```ts
 * setDownloadFiles(db, job.id, [{ path: "config.json", blobId: oid, size: 420, sha256: null, gitOid: oid, done: false, fetched: false }]);
 * ```
 */
export function setDownloadFiles(db: Db, downloadId: number, files: readonly DownloadFileRow[]): void {
  statement(db, "DELETE FROM download_files WHERE download_id = ?").run(downloadId);
  const insert = statement(
    db,
    `INSERT INTO download_files (download_id, path, blob_id, size, sha256, git_oid, done, fetched)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const f of files) {
    insert.run(downloadId, f.path, f.blobId, f.size, f.sha256, f.gitOid, f.done ? 1 : 0, f.fetched ? 1 : 0);
  }
}

/** Marks one file of a job done (and whether this job fetched it). */
export function markFileDone(db: Db, downloadId: number, path: string, fetched: boolean): void {
  statement(db, "UPDATE download_files SET done = 1, fetched = ? WHERE download_id = ? AND path = ?")
    .run(fetched ? 1 : 0, downloadId, path);
}
