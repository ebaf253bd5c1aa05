/**
 * Tail hashing for large files on one shared worker thread, so verifying a
 * download does not slow the transfers on the main thread (on a loopback
 * benchmark this is the difference between 0.7 and 0.8+ of curl's speed).
 * Small files hash on the main thread; if the worker cannot run (a binary
 * built without its module), every file falls back to the main thread.
 *
 * The composition root creates the one {@link HashThread} and closes it with
 * the runtime; nothing here starts at import.
 *
 * @module
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Digest, TailHasher } from "./tail_hash.ts";
import { ROOT } from "../../lib/paths.ts";

/** What a tail hasher offers, wherever it runs. */
export interface TailHashing {
  finish(size: number): Promise<string>;
  stop(): Promise<void>;
}

/** Files at least this large are hashed on the worker. */
export const WORKER_THRESHOLD = 16 * 1024 * 1024;

/** The worker's module, found from the project root so the server bundle and a binary find it too. */
export const HASH_WORKER_URL: URL = pathToFileURL(join(ROOT, "services", "downloads", "hash_worker.ts"));

interface Job {
  path: string;
  digest: Digest;
  onProgress: (bytes: number) => void;
  finished?: { size: number; resolve: (digest: string) => void; reject: (error: Error) => void };
  stopped?: () => void;
  /** Set when the worker failed: the job goes on here. */
  local?: TailHasher;
}

/**
 * One worker that hashes many files, started on demand and ended when idle
 * or closed.
 *
 * @example
 * ```ts
 * const hashing = new HashThread().start(dest, { sha256, size }, (n) => progress = n);
 * const digest = await hashing.finish(size);
 * await hashing.stop();
 * ```
 */
export class HashThread {
  readonly #url: URL;
  #worker: Worker | null = null;
  #broken = false;
  #closed = false;
  #nextId = 1;
  readonly #jobs = new Map<number, Job>();

  constructor(url: URL = HASH_WORKER_URL) {
    this.#url = url;
  }

  /** Whether the worker thread is running now. */
  get running(): boolean {
    return this.#worker !== null;
  }

  /** False once the worker has failed; later files hash on the main thread. */
  get available(): boolean {
    return !this.#broken;
  }

  /** Starts hashing `path` as it grows; large files go to the worker. */
  start(path: string, digest: Digest, onProgress: (bytes: number) => void): TailHashing {
    if (digest.size < WORKER_THRESHOLD || this.#broken || this.#closed) {
      return new TailHasher(path, digest, onProgress);
    }
    const id = this.#nextId++;
    const job: Job = { path, digest, onProgress };
    this.#jobs.set(id, job);
    this.#ensureWorker().postMessage({ id, start: { path, digest } });
    return {
      finish: (size) =>
        job.local ? job.local.finish(size) : new Promise((resolve, reject) => {
          job.finished = { size, resolve, reject };
          this.#worker?.postMessage({ id, finish: size });
        }),
      stop: async () => {
        if (!this.#jobs.has(id)) return;
        if (job.local) await job.local.stop();
        else {await new Promise<void>((resolve) => {
            job.stopped = resolve;
            this.#worker!.postMessage({ id, stop: true });
          });}
        this.#jobs.delete(id);
        if (this.#jobs.size === 0) this.#end();
      },
    };
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(this.#url, { type: "module" });
    worker.onmessage = (event: MessageEvent) => {
      const m = event.data as {
        id: number;
        progress?: number;
        digest?: string;
        error?: string;
        stopped?: boolean;
      };
      const job = this.#jobs.get(m.id);
      if (!job || job.local) return;
      if (m.progress !== undefined) job.onProgress(m.progress);
      if (m.digest !== undefined) job.finished?.resolve(m.digest);
      if (m.error !== undefined) job.finished?.reject(new Error(m.error));
      if (m.stopped) job.stopped?.();
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.#fallBack();
    };
    return this.#worker = worker;
  }

  /**
   * Ends the worker for good (the runtime is closing); a job still hashing
   * goes on on this thread, and later files hash here too.
   */
  close(): void {
    this.#closed = true;
    this.#moveJobsHere();
  }

  /** The worker failed: every job goes on on the main thread. */
  #fallBack(): void {
    this.#broken = true;
    this.#moveJobsHere();
  }

  /** Ends the worker; every job restarts its hash on this thread, which re-reads the file from its start. */
  #moveJobsHere(): void {
    this.#end();
    for (const job of this.#jobs.values()) {
      if (job.local) continue;
      // A job being stopped is done with: only its stop is waiting for an answer.
      if (job.stopped) {
        job.stopped();
        continue;
      }
      job.local = new TailHasher(job.path, job.digest, job.onProgress);
      if (job.finished) job.local.finish(job.finished.size).then(job.finished.resolve, job.finished.reject);
    }
  }

  #end(): void {
    this.#worker?.terminate();
    this.#worker = null;
  }
}
