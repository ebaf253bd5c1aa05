/**
 * Fetches one file into its `.incomplete` blob: resumes with HTTP Range from
 * whatever is already on disk, retries dropped connections with backoff,
 * streams to disk (memory stays flat) and hashes while writing, then checks
 * the digest the hub announced (sha256 for LFS files, the git blob id for the
 * others).
 *
 * @module
 */
import { createHash, type Hash } from "node:crypto";
import { HttpError } from "../../lib/errors.ts";
import { hubReason, hubStatusError } from "../hub/client.ts";

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
  retry?: RetryPolicy;
  /** Called before each retry, for the log. */
  onRetry?: (error: Error, attempt: number, delayMs: number) => void;
  fetch?: typeof fetch;
}

/** A failure that retrying cannot fix (gated, missing, checksum after a fresh start). */
export class FatalFetchError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
    this.name = "FatalFetchError";
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const HASH_CHUNK = 1024 * 1024;

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

function newHasher(task: FileFetch): Hash {
  if (task.sha256) return createHash("sha256");
  const hash = createHash("sha1");
  hash.update(`blob ${task.size}\0`);
  return hash;
}

async function writeAll(file: Deno.FsFile, data: Uint8Array): Promise<void> {
  let written = 0;
  while (written < data.length) written += await file.write(data.subarray(written));
}

/** Re-hashes the part already on disk, in 1 MiB reads (resume after a restart). */
async function hashExisting(
  file: Deno.FsFile,
  length: number,
  hash: Hash,
  signal: AbortSignal,
): Promise<void> {
  await file.seek(0, Deno.SeekMode.Start);
  const buffer = new Uint8Array(HASH_CHUNK);
  let left = length;
  while (left > 0) {
    signal.throwIfAborted();
    const n = await file.read(buffer.subarray(0, Math.min(HASH_CHUNK, left)));
    if (n === null) break;
    hash.update(buffer.subarray(0, n));
    left -= n;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", abort);
      resolve();
    }, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", abort, { once: true });
  });
}

/**
 * Fetches a file into `task.dest`, resuming from its current length. Resolves
 * when the file is complete and its digest matches; throws
 * {@link FatalFetchError} for what retrying cannot fix, the abort reason when
 * `signal` aborts, or the last error after too many failed attempts.
 *
 * @example
 * ```ts
 * await fetchFile({ url, dest: `${blob}.incomplete`, size, sha256, gitOid: null, repo, path },
 *   { headers: hub.authHeaders(), signal, onProgress: (n) => bytes = n });
 * ```
 */
export async function fetchFile(task: FileFetch, options: FetchFileOptions): Promise<void> {
  const { signal, onProgress } = options;
  const retry = options.retry ?? DEFAULT_RETRY;
  const fetchFn = options.fetch ?? fetch;
  const file = await Deno.open(task.dest, { read: true, write: true, create: true });
  try {
    const state: Progress = { have: (await file.stat()).size, hash: newHasher(task) };
    if (state.have > task.size) await restart(file, state, task);
    await hashExisting(file, state.have, state.hash, signal);
    onProgress(state.have);
    let failures = 0;
    let restarts = 0;
    while (true) {
      signal.throwIfAborted();
      const before = state.have;
      try {
        if (state.have < task.size) await transfer(task, file, state, options, fetchFn);
        const digest = state.hash.digest("hex");
        const expected = task.sha256 ?? task.gitOid;
        if (!expected || digest === expected) return;
        // A corrupt part (or a changed file) is refetched once from zero before giving up.
        await restart(file, state, task);
        onProgress(0);
        if (++restarts > 1) {
          throw new FatalFetchError(
            `${task.path} of ${task.repo} does not match its checksum: expected ${expected}, got ${digest}`,
            "checksum",
          );
        }
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        if (error instanceof FatalFetchError || error instanceof HttpError) throw error;
        failures = state.have > before ? 1 : failures + 1;
        if (failures >= retry.attempts) {
          throw new Error(
            `${task.path} of ${task.repo} failed after ${failures} attempts: ${(error as Error).message}`,
          );
        }
        const delay = Math.min(retry.maxMs, retry.baseMs * 2 ** (failures - 1));
        options.onRetry?.(error as Error, failures, delay);
        await sleep(delay, signal);
        // Trust the file on disk over the counter: a write may have failed half way.
        const onDisk = (await file.stat()).size;
        if (onDisk !== state.have) {
          state.have = Math.min(onDisk, task.size);
          state.hash = newHasher(task);
          await hashExisting(file, state.have, state.hash, signal);
        }
      }
    }
  } finally {
    file.close();
  }
}

/** Bytes on disk and the hash over exactly those bytes. */
interface Progress {
  have: number;
  hash: Hash;
}

async function restart(file: Deno.FsFile, state: Progress, task: FileFetch): Promise<void> {
  await file.truncate(0);
  state.have = 0;
  state.hash = newHasher(task);
}

/** One HTTP attempt from `state.have`; advances `state` as bytes reach the disk. */
async function transfer(
  task: FileFetch,
  file: Deno.FsFile,
  state: Progress,
  options: FetchFileOptions,
  fetchFn: typeof fetch,
): Promise<void> {
  const response = await getFollowing(
    task.url,
    options.headers,
    state.have > 0 ? `bytes=${state.have}-` : null,
    options.signal,
    fetchFn,
  );
  if (response.status === 401 || response.status === 403 || response.status === 404) {
    const body = await response.json().catch(() => null);
    const reason = hubReason(response.status, response.headers, body);
    const origin = new URL(task.url).origin;
    const error = hubStatusError(
      response.status,
      reason,
      task.repo,
      origin,
      "authorization" in options.headers,
    );
    throw new FatalFetchError(error.message, error.code ?? "hub_error");
  }
  if (response.status === 416) {
    await response.body?.cancel();
    await restart(file, state, task);
    throw new Error(`the server refused to resume ${task.path}`);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new Error(`the hub answered ${response.status} for ${task.path}`);
  }
  if (response.status === 200 && state.have > 0) {
    // The server ignored Range: the body starts at zero.
    await restart(file, state, task);
  } else if (response.status === 206) {
    const start = Number(response.headers.get("content-range")?.match(/^bytes (\d+)-/)?.[1] ?? -1);
    if (start !== state.have) {
      await response.body.cancel();
      await restart(file, state, task);
      throw new Error(`the server resumed ${task.path} at byte ${start}`);
    }
  }
  await file.seek(state.have, Deno.SeekMode.Start);
  for await (const chunk of response.body) {
    if (state.have + chunk.length > task.size) {
      await restart(file, state, task);
      throw new Error(`${task.path} is longer than the ${task.size} bytes the hub announced`);
    }
    await writeAll(file, chunk);
    state.hash.update(chunk);
    state.have += chunk.length;
    options.onProgress(state.have);
  }
  if (state.have < task.size) {
    throw new Error(`the connection closed at byte ${state.have} of ${task.size} (${task.path})`);
  }
}
