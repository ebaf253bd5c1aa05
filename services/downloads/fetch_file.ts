/**
 * Fetches one file into its `.incomplete` blob: resumes with HTTP Range from
 * whatever is already on disk, retries dropped connections with backoff,
 * streams to disk (memory stays flat) while a tail hasher follows the file,
 * then checks the digest the hub announced (sha256 for LFS files, the git
 * blob id for the others).
 *
 * @module
 */
import { delay } from "../../lib/async.ts";
import { AppError } from "../../lib/errors.ts";
import { hubReason, hubStatusError } from "../hub/errors.ts";
import type { HashThread } from "./hash_thread.ts";

/** What to fetch and how to check it. */
export interface FileFetch {
  /** The hub's `resolve` URL. */
  url: string;
  /** The `.incomplete` path to write. */
  dest: string;
  size: number;
  /** The LFS sha256, when the file is stored with LFS. */
  sha256: string | null;
  /** The git blob id, checked when there is no sha256. */
  gitOid: string | null;
  /** The repository, for messages. */
  repo: string;
  path: string;
}

/** Retry policy after failed attempts. */
export interface RetryPolicy {
  /** First delay; doubled after each failure. @default 1000 */
  baseMs: number;
  /** Longest delay. @default 30000 */
  maxMs: number;
  /** Failed attempts in a row (without progress) before giving up. @default 8 */
  attempts: number;
}

/** Defaults of {@link RetryPolicy}. */
export const DEFAULT_RETRY: RetryPolicy = { baseMs: 1000, maxMs: 30_000, attempts: 8 };

/** Options of {@link fetchFile}. */
export interface FetchFileOptions {
  /** Extra headers for the hub (Authorization); dropped when a redirect leaves the hub's origin. */
  headers: Record<string, string>;
  signal: AbortSignal;
  /** Called with the bytes of this file on disk so far. */
  onProgress: (bytes: number) => void;
  /** Where the file is hashed while it grows. */
  hashThread: HashThread;
  retry?: RetryPolicy;
  /** Called before each retry, for the log. */
  onRetry?: (error: Error, attempt: number, delayMs: number) => void;
  fetch?: typeof fetch;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * GETs `url`, following redirects itself so the token is sent only to the
 * hub's own origin (as `huggingface_hub` does), not to the CDN.
 */
async function getFollowing(
  url: string,
  headers: Record<string, string>,
  range: string | null,
  signal: AbortSignal,
  fetchFn: typeof fetch,
): Promise<Response> {
  const origin = new URL(url).origin;
  let current = url;
  for (let hop = 0; hop < 10; hop++) {
    const sameOrigin = new URL(current).origin === origin;
    const response = await fetchFn(current, {
      redirect: "manual",
      signal,
      headers: { ...(sameOrigin ? headers : {}), ...(range ? { range } : {}), "accept-encoding": "identity" },
    });
    if (!REDIRECTS.has(response.status)) return response;
    await response.body?.cancel();
    const location = response.headers.get("location");
    if (!location) throw new Error(`Redirect without a location from ${current}`);
    current = new URL(location, current).href;
  }
  throw new Error(`Too many redirects for ${url}`);
}

async function sizeOnDisk(path: string): Promise<number> {
  return (await Deno.stat(path)).size;
}

async function truncate(path: string): Promise<void> {
  await Deno.truncate(path, 0);
}

/**
 * Fetches a file into `task.dest`, resuming from its current length. Resolves
 * when the file is complete and its digest matches; throws an
 * {@link AppError} for what retrying cannot fix (gated, missing, a checksum
 * that is wrong again after a fresh start, a full disk), the abort reason when
 * `signal` aborts, or the last error after too many failed attempts.
 *
 * The body is piped straight into the file; a {@link TailHasher} hashes the
 * file as it grows (and what an earlier run left), and its position is the
 * progress reported.
 *
 * @example
 * ```ts
 * await fetchFile({ url, dest: `${blob}.incomplete`, size, sha256, gitOid: null, repo, path },
 *   { headers: hub.authHeaders(), signal, onProgress: (n) => bytes = n });
 * ```
 */
export async function fetchFile(task: FileFetch, options: FetchFileOptions): Promise<void> {
  const { signal } = options;
  const retry = options.retry ?? DEFAULT_RETRY;
  const fetchFn = options.fetch ?? fetch;
  await (await Deno.open(task.dest, { write: true, create: true })).close();
  if (await sizeOnDisk(task.dest) > task.size) await truncate(task.dest);
  const digest = { sha256: task.sha256, size: task.size };
  const { hashThread } = options;
  let hasher = hashThread.start(task.dest, digest, options.onProgress);
  const restart = async () => {
    await hasher.stop();
    await truncate(task.dest);
    options.onProgress(0);
    hasher = hashThread.start(task.dest, digest, options.onProgress);
  };
  try {
    let failures = 0;
    let restarts = 0;
    while (true) {
      signal.throwIfAborted();
      let have = await sizeOnDisk(task.dest);
      const before = have;
      try {
        if (have < task.size) have = await transfer(task, have, options, fetchFn, restart);
        if (have > task.size) {
          await restart();
          throw new Error(`${task.path} is longer than the ${task.size} bytes the hub announced`);
        }
        if (have < task.size) {
          throw new Error(`the connection closed at byte ${have} of ${task.size} (${task.path})`);
        }
        const got = await hasher.finish(task.size);
        const expected = task.sha256 ?? task.gitOid;
        if (!expected || got === expected) return;
        // A corrupt part (or a changed file) is refetched once from zero before giving up.
        await restart();
        if (++restarts > 1) {
          throw new AppError(
            "upstream",
            `${task.path} of ${task.repo} does not match its checksum: expected ${expected}, got ${got}`,
            { reason: "checksum" },
          );
        }
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        if (error instanceof AppError) throw error;
        if (/no space left/i.test((error as Error).message)) {
          throw new AppError(
            "disk_full",
            `The disk is full while writing ${task.path}: free some space, then retry`,
            {
              cause: error,
            },
          );
        }
        failures = (await sizeOnDisk(task.dest)) > before ? 1 : failures + 1;
        if (failures >= retry.attempts) {
          throw new Error(
            `${task.path} of ${task.repo} failed after ${failures} attempts: ${(error as Error).message}`,
          );
        }
        const wait = Math.min(retry.maxMs, retry.baseMs * 2 ** (failures - 1));
        options.onRetry?.(error as Error, failures, wait);
        await delay(wait, { signal });
      }
    }
  } finally {
    await hasher.stop();
  }
}

/** One HTTP attempt from byte `have`, piped into the file; returns its length after. */
async function transfer(
  task: FileFetch,
  have: number,
  options: FetchFileOptions,
  fetchFn: typeof fetch,
  restart: () => Promise<void>,
): Promise<number> {
  const response = await getFollowing(
    task.url,
    options.headers,
    have > 0 ? `bytes=${have}-` : null,
    options.signal,
    fetchFn,
  );
  if (response.status === 401 || response.status === 403 || response.status === 404) {
    const body = await response.json().catch(() => null);
    const reason = hubReason(response.status, response.headers, body);
    const origin = new URL(task.url).origin;
    const code = response.headers.get("x-error-code");
    throw hubStatusError(
      response.status,
      reason,
      task.repo,
      origin,
      "authorization" in options.headers,
      code,
    );
  }
  if (response.status === 416) {
    await response.body?.cancel();
    await restart();
    throw new Error(`the server refused to resume ${task.path}`);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new Error(`the hub answered ${response.status} for ${task.path}`);
  }
  if (response.status === 200 && have > 0) {
    // The server ignored Range: the body starts at zero.
    await restart();
  } else if (response.status === 206) {
    const start = Number(response.headers.get("content-range")?.match(/^bytes (\d+)-/)?.[1] ?? -1);
    if (start !== have) {
      await response.body.cancel();
      await restart();
      throw new Error(`the server resumed ${task.path} at byte ${start}`);
    }
  }
  const file = await Deno.open(task.dest, { write: true, append: true });
  // pipeTo closes the file when the body ends, and aborts (closing it too) when it fails.
  await response.body.pipeTo(file.writable, { signal: options.signal });
  return await sizeOnDisk(task.dest);
}
