/**
 * Hashes a file while another writer is still appending to it: reads what is
 * on disk in 1 MiB pieces, follows the file as it grows, and finishes once it
 * has hashed the expected length. The transfer itself then stays a plain
 * stream-to-file pipe, and verifying costs little extra wall time.
 *
 * @module
 */
import { createHash, type Hash } from "node:crypto";

const PIECE = 1024 * 1024;
/** Polling backs off from 2 ms to 100 ms while the file does not grow. */
const MIN_WAIT = 2;
const MAX_WAIT = 100;

/** What a {@link TailHasher} checks against. */
export interface Digest {
  /** The LFS sha256, or null for a plain git file. */
  sha256: string | null;
  /** The file's length (the git blob header includes it). */
  size: number;
}

function newHash(d: Digest): Hash {
  if (d.sha256) return createHash("sha256");
  // A git blob id is the sha1 of "blob <size>\0" followed by the content.
  const hash = createHash("sha1");
  hash.update(`blob ${d.size}\0`);
  return hash;
}

/**
 * Follows a growing file and hashes it.
 *
 * @example
 * ```ts
 * const hasher = new TailHasher(path, { sha256, size }, (n) => progress = n);
 * await pipeDownloadInto(path);
 * const digest = await hasher.finish(size);
 * ```
 */
export class TailHasher {
  readonly #path: string;
  readonly #onProgress: (bytes: number) => void;
  #hash: Hash;
  #at = 0;
  #target: number | null = null;
  #stopped = false;
  #wake: (() => void) | null = null;
  readonly #done: Promise<void>;

  /** Starts hashing `path` from its beginning; `onProgress` gets the bytes hashed so far. */
  constructor(path: string, digest: Digest, onProgress: (bytes: number) => void) {
    this.#path = path;
    this.#onProgress = onProgress;
    this.#hash = newHash(digest);
    this.#done = this.#follow();
  }

  /** Bytes hashed so far. */
  get position(): number {
    return this.#at;
  }

  async #follow(): Promise<void> {
    const file = await Deno.open(this.#path, { read: true });
    const buffer = new Uint8Array(PIECE);
    let wait = MIN_WAIT;
    try {
      while (!this.#stopped) {
        const want = this.#target === null ? PIECE : Math.min(PIECE, this.#target - this.#at);
        if (want <= 0) return;
        const n = await file.read(buffer.subarray(0, want));
        if (n) {
          this.#hash.update(buffer.subarray(0, n));
          this.#at += n;
          this.#onProgress(this.#at);
          wait = MIN_WAIT;
          continue;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wake = null;
        wait = Math.min(MAX_WAIT, wait * 2);
      }
    } finally {
      file.close();
    }
  }

  /** Waits until `size` bytes are hashed and returns the hex digest. */
  async finish(size: number): Promise<string> {
    this.#target = size;
    this.#wake?.();
    await this.#done;
    if (this.#at !== size) throw new Error(`${this.#path} ended at byte ${this.#at} of ${size}`);
    return this.#hash.digest("hex");
  }

  /** Stops following (the file was truncated, or the transfer was abandoned). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#done.catch(() => {});
  }
}
