/**
 * One execution of a download job: resolve the commit and file list (stored,
 * so a restart resumes without asking again), check free disk, fetch each
 * missing blob (a few at a time), link it into the snapshot, then write
 * `refs/main`. Progress is counted in memory (bytes on disk and verified so
 * far, reported by each file's hasher); the cache is never walked.
 *
 * @module
 */
import type { Db } from "../../db/mod.ts";
import {
  type DownloadFileRow,
  type DownloadRow,
  listDownloadFiles,
  markFileDone,
  setDownloadFiles,
  updateDownload,
} from "../../db/downloads.ts";
import { AppError } from "../../lib/errors.ts";
import { formatBytes } from "../../lib/format.ts";
import type { Logger } from "../../lib/logger.ts";
import type { HubClient } from "../hub/client.ts";
import { blobPath, isCommitHash, isSafeBlobId, isSafeRepoPath, repoDir } from "../models/cache_layout.ts";
import type { DiskUsageReader } from "../models/disk.ts";
import { linkSnapshotFile, partialBytes, sizeOf, writeRef } from "./cache_files.ts";
import { fetchFile, type RetryPolicy } from "./fetch_file.ts";
import type { HashThread } from "./hash_thread.ts";
import { FetchedBytes, RateMeter } from "./rate.ts";

/** What a run needs from the manager. */
export interface JobRunContext {
  db: Db;
  hub: HubClient;
  /** `HF_HUB_CACHE`. */
  cacheDir: string;
  logger: Logger;
  diskUsage: DiskUsageReader;
  /** Hashes large files off the main thread while they download; owned by the caller. */
  hashThread: HashThread;
  /** Blobs fetched at once per job. */
  fileConcurrency: number;
  /** Free space to leave on the disk. */
  reserveBytes: number;
  retry?: RetryPolicy;
  fetch?: typeof fetch;
}

/** Live counters of a run, read by the manager once a second. */
export interface RunProgress {
  downloaded: number;
  total: number | null;
  filesDone: number;
  filesTotal: number;
  current: string | null;
  speed: number;
}

/**
 * Runs a job until it completes, fails (throws an {@link AppError}, whose
 * reason or code the job records, or another error) or `signal` aborts (throws
 * the abort reason).
 *
 * @example
 * ```ts
 * const run = new JobRun(ctx, row, controller.signal);
 * await run.execute(() => publish());
 * ```
 */
export class JobRun {
  readonly #meter = new RateMeter();
  /** Bytes fetched in this run, the speed's measure (bytes an earlier run left are not). */
  readonly #fetched = new FetchedBytes();
  #doneBytes = 0;
  readonly #active = new Map<string, number>();
  #current: string | null = null;
  #total: number | null;
  #filesDone: number;
  #filesTotal: number;

  readonly #ctx: JobRunContext;
  readonly #row: DownloadRow;
  readonly #signal: AbortSignal;

  constructor(ctx: JobRunContext, row: DownloadRow, signal: AbortSignal) {
    this.#ctx = ctx;
    this.#row = row;
    this.#signal = signal;
    this.#total = row.totalBytes;
    this.#filesDone = row.filesDone;
    this.#filesTotal = row.filesTotal;
    this.#doneBytes = row.downloadedBytes;
  }

  /** The counters now. */
  progress(): RunProgress {
    let downloaded = this.#doneBytes;
    for (const n of this.#active.values()) downloaded += n;
    return {
      downloaded,
      total: this.#total,
      filesDone: this.#filesDone,
      filesTotal: this.#filesTotal,
      current: this.#current,
      speed: this.#meter.rate(),
    };
  }

  /** Takes a sample of the bytes fetched so far, for the speed. */
  sampleRate(): void {
    this.#meter.sample(this.#fetched.total);
  }

  /** Resolves the commit and file list once; later runs reuse what is stored. */
  async #resolve(): Promise<{ commit: string; files: DownloadFileRow[] }> {
    const { db, hub } = this.#ctx;
    let commit = this.#row.commitSha;
    if (!commit) {
      commit = (await hub.info(this.#row.modelId)).sha;
      updateDownload(db, this.#row.id, { commitSha: commit });
    }
    if (!isCommitHash(commit)) {
      throw new AppError("upstream", `The hub gave an unusable commit id: ${commit}`, {
        reason: "hub_error",
      });
    }
    let files = listDownloadFiles(db, this.#row.id);
    if (files.length === 0) {
      const tree = await hub.tree(this.#row.modelId, commit);
      files = tree.map((f) => ({
        path: f.path,
        blobId: f.lfsSha256 ?? f.oid,
        size: f.size,
        sha256: f.lfsSha256,
        gitOid: f.lfsSha256 ? null : f.oid,
        done: false,
        fetched: false,
      }));
      const unsafe = files.find((f) => !isSafeRepoPath(f.path) || !isSafeBlobId(f.blobId));
      if (unsafe) {
        throw new AppError("upstream", `The hub listed an unsafe file name: ${JSON.stringify(unsafe.path)}`, {
          reason: "hub_error",
        });
      }
      if (files.length === 0) {
        throw new AppError("upstream", `${this.#row.modelId} has no files`, { reason: "empty" });
      }
      const total = files.reduce((n, f) => n + f.size, 0);
      setDownloadFiles(db, this.#row.id, files);
      updateDownload(db, this.#row.id, { totalBytes: total, filesTotal: files.length, downloadedBytes: 0 });
      this.#total = total;
      this.#filesTotal = files.length;
    }
    return { commit, files };
  }

  async #checkDisk(pending: DownloadFileRow[]): Promise<void> {
    const { cacheDir, diskUsage, reserveBytes, logger } = this.#ctx;
    const needed = pending.reduce((n, f) => n + f.size, 0) -
      await partialBytes(cacheDir, this.#row.modelId, pending);
    const disk = await diskUsage(cacheDir).catch((error) => {
      logger.warn("Cannot read free disk space; downloading anyway", { error: (error as Error).message });
      return null;
    });
    if (disk && disk.free - needed < reserveBytes) {
      throw new AppError(
        "disk_full",
        `Not enough disk space for ${this.#row.modelId}: it needs ${formatBytes(needed)} more and ${
          formatBytes(disk.free)
        } is free on ${disk.mount} (keeping ${formatBytes(reserveBytes)} spare). Free some space, then retry`,
      );
    }
  }

  /** Runs the job; `onStarted` is called once the file list is known and transfers begin. */
  async execute(onStarted: () => void): Promise<void> {
    const { db, cacheDir } = this.#ctx;
    this.#ctx.hub.assertOnline();
    const id = this.#row.modelId;
    const { commit, files } = await this.#resolve();
    // Blobs already in the cache (another revision, an earlier job) are reused, as huggingface_hub does.
    const byBlob = new Map<string, DownloadFileRow[]>();
    let doneBytes = 0;
    let filesDone = 0;
    for (const f of files) {
      const blobSize = await sizeOf(blobPath(cacheDir, id, f.blobId));
      if (blobSize === f.size) {
        await linkSnapshotFile(cacheDir, id, commit, f.path, f.blobId);
        if (!f.done) markFileDone(db, this.#row.id, f.path, false);
        doneBytes += f.size;
        filesDone++;
      } else {
        byBlob.set(f.blobId, [...(byBlob.get(f.blobId) ?? []), f]);
      }
    }
    this.#doneBytes = doneBytes;
    this.#filesDone = filesDone;
    const pending = [...byBlob.values()].map((group) => group[0]);
    await this.#checkDisk(pending);
    await Deno.mkdir(`${repoDir(cacheDir, id)}/blobs`, { recursive: true });
    this.#meter.reset();
    this.sampleRate();
    onStarted();
    await this.#fetchAll(pending, byBlob, commit);
    await writeRef(cacheDir, id, commit);
  }

  /** Fetches blobs `fileConcurrency` at a time; the first failure stops the others. */
  async #fetchAll(pending: DownloadFileRow[], byBlob: Map<string, DownloadFileRow[]>, commit: string) {
    const inner = new AbortController();
    const signal = AbortSignal.any([this.#signal, inner.signal]);
    let failure: unknown = null;
    let next = 0;
    const worker = async () => {
      while (next < pending.length && !signal.aborted) {
        const file = pending[next++];
        try {
          await this.#fetchBlob(file, byBlob.get(file.blobId)!, commit, signal);
        } catch (error) {
          if (!signal.aborted) {
            failure = error;
            inner.abort(error);
          }
          return;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#ctx.fileConcurrency, pending.length) }, worker));
    if (this.#signal.aborted) throw this.#signal.reason;
    if (failure) throw failure;
  }

  async #fetchBlob(file: DownloadFileRow, sharing: DownloadFileRow[], commit: string, signal: AbortSignal) {
    const { db, hub, cacheDir, logger } = this.#ctx;
    const id = this.#row.modelId;
    const blob = blobPath(cacheDir, id, file.blobId);
    this.#current = file.path;
    this.#active.set(file.path, 0);
    const onDisk = await sizeOf(`${blob}.incomplete`);
    // A part longer than the file is truncated by the fetch: then nothing was kept.
    this.#fetched.begin(file.path, onDisk <= file.size ? onDisk : 0);
    await fetchFile({
      url: hub.resolveUrl(id, commit, file.path),
      dest: `${blob}.incomplete`,
      size: file.size,
      sha256: file.sha256,
      gitOid: file.gitOid,
      repo: id,
      path: file.path,
    }, {
      headers: hub.authHeaders(),
      signal,
      hashThread: this.#ctx.hashThread,
      retry: this.#ctx.retry,
      fetch: this.#ctx.fetch,
      onProgress: (bytes) => {
        this.#active.set(file.path, bytes);
        this.#fetched.progress(file.path, bytes);
      },
      onRetry: (error, attempt, delay) =>
        logger.warn("Download interrupted; retrying", {
          model: id,
          file: file.path,
          attempt,
          delayMs: delay,
          error: error.message,
        }),
    });
    await Deno.rename(`${blob}.incomplete`, blob);
    for (const f of sharing) {
      await linkSnapshotFile(cacheDir, id, commit, f.path, f.blobId);
      markFileDone(db, this.#row.id, f.path, true);
    }
    this.#active.delete(file.path);
    this.#fetched.end(file.path);
    this.#doneBytes += file.size * sharing.length;
    this.#filesDone += sharing.length;
    if (this.#current === file.path) this.#current = this.#active.keys().next().value ?? null;
  }
}
