/**
 * Where passwords are hashed: on one worker thread, started on the first
 * hash and ended when idle, falling back to the main thread if the worker
 * cannot run (a binary built without its module).
 *
 * @module
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "../../lib/paths.ts";
import { hashPassword, verifyPassword } from "./passwords.ts";

/** Hashes and verifies passwords. */
export interface PasswordHasher {
  /** A PHC string for `password` with a fresh salt. */
  hash(password: string): Promise<string>;
  /** Whether `password` matches the PHC string `hash` (false for an unreadable hash). */
  verify(password: string, hash: string): Promise<boolean>;
  /** Ends the worker; later calls start a new one. */
  close(): void;
}

/** The worker's module, found from the project root so the server bundle and a binary find it too. */
export const PASSWORD_WORKER_URL: URL = pathToFileURL(
  join(ROOT, "services", "accounts", "password_worker.ts"),
);

interface Pending {
  resolve: (value: string | boolean) => void;
  reject: (error: Error) => void;
  /** Runs the call here when the worker fails. */
  local: () => Promise<string | boolean>;
}

/**
 * Hashes on a worker thread.
 *
 * @example
 * ```ts
 * const hasher = new WorkerPasswordHasher();
 * const hash = await hasher.hash("correct horse");
 * await hasher.verify("correct horse", hash); // true
 * hasher.close();
 * ```
 */
export class WorkerPasswordHasher implements PasswordHasher {
  #worker: Worker | null = null;
  #broken = false;
  #nextId = 1;
  #idle: ReturnType<typeof setTimeout> | null = null;
  readonly #pending = new Map<number, Pending>();

  readonly #url: URL;
  readonly #idleMs: number;

  /** @param idleMs how long the worker stays after its last call */
  constructor(url: URL = PASSWORD_WORKER_URL, idleMs = 30_000) {
    this.#url = url;
    this.#idleMs = idleMs;
  }

  /** Whether the worker thread is running now. */
  get running(): boolean {
    return this.#worker !== null;
  }

  hash(password: string): Promise<string> {
    return this.#call({ hash: password }, () => hashPassword(password)) as Promise<string>;
  }

  verify(password: string, hash: string): Promise<boolean> {
    return this.#call({ verify: { password, hash } }, () => verifyPassword(password, hash)) as Promise<
      boolean
    >;
  }

  close(): void {
    this.#end();
    for (const [id, call] of this.#pending) {
      this.#pending.delete(id);
      call.reject(new Error("The password hasher was closed"));
    }
  }

  #call(message: object, local: () => Promise<string | boolean>): Promise<string | boolean> {
    if (this.#broken) return local();
    const id = this.#nextId++;
    const worker = this.#ensureWorker();
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, local });
      worker.postMessage({ id, ...message });
    });
  }

  #ensureWorker(): Worker {
    if (this.#idle !== null) clearTimeout(this.#idle);
    this.#idle = null;
    if (this.#worker) return this.#worker;
    const worker = new Worker(this.#url, { type: "module" });
    worker.onmessage = (event: MessageEvent) => {
      const { id, result, error } = event.data as { id: number; result?: string | boolean; error?: string };
      const call = this.#pending.get(id);
      if (!call) return;
      this.#pending.delete(id);
      if (error !== undefined) call.reject(new Error(error));
      else call.resolve(result!);
      if (this.#pending.size === 0) this.#scheduleEnd();
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.#fallBack();
    };
    return this.#worker = worker;
  }

  #scheduleEnd(): void {
    this.#idle = setTimeout(() => this.#end(), this.#idleMs);
    // An idle worker waiting to end must not keep the process alive.
    Deno.unrefTimer(this.#idle as unknown as number);
  }

  /** The worker failed: pending calls run here, and so does every later one. */
  #fallBack(): void {
    this.#broken = true;
    this.#end();
    for (const [id, call] of this.#pending) {
      this.#pending.delete(id);
      call.local().then(call.resolve, call.reject);
    }
  }

  #end(): void {
    if (this.#idle !== null) clearTimeout(this.#idle);
    this.#idle = null;
    this.#worker?.terminate();
    this.#worker = null;
  }
}
