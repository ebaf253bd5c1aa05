/**
 * Where the gateway gets a server for a profile: {@link Backends.acquire}
 * returns a {@link Lease} on a ready server, starting it on demand. The
 * supervisor owns every decision behind it (start, queue, unload); the
 * gateway only holds the lease for the life of one request.
 *
 * @module
 */
import { AppError } from "../../lib/errors.ts";
import { HttpError } from "../../lib/errors.ts";
import type { Profile } from "../../lib/profile_types.ts";
import type { Supervisor } from "../supervisor/mod.ts";
import { dialHost } from "../supervisor/ports.ts";

/** A ready server held for one request; release it when the response ended. */
export interface Lease extends Disposable {
  readonly profileId: number;
  /** e.g. `http://127.0.0.1:10240` */
  readonly baseUrl: string;
  /** Whether this request waited for the server to start. */
  readonly coldStart: boolean;
  /** Milliseconds spent waiting for admission (start included). */
  readonly queueMs: number;
  release(): void;
}

/** Source of leases. */
export interface Backends {
  /**
   * A lease on the profile's ready server.
   *
   * @throws {AppError} `not_found`; `unavailable` (`model_start_failed`,
   *   `queue_timeout`, `model_exceeds_memory_budget`); `rate_limited` (`queue_full`, with `retryAfter`)
   */
  acquire(profile: Profile, options?: { signal?: AbortSignal }): Promise<Lease>;
}

/**
 * Leases from today's supervisor: a stopped server is started with its saved
 * settings and waited for (concurrent starts share one process); the lease is
 * the server's address.
 */
export class SupervisorBackends implements Backends {
  constructor(readonly supervisor: Supervisor) {}

  async acquire(profile: Profile, options: { signal?: AbortSignal } = {}): Promise<Lease> {
    const started = performance.now();
    let status = this.supervisor.status(profile.id);
    let coldStart = false;
    if (status.state !== "running") {
      coldStart = true;
      try {
        const starting = this.supervisor.start(profile.id, { wait: true });
        status = options.signal ? await abortable(starting, options.signal) : await starting;
      } catch (error) {
        if (error instanceof HttpError && error.status === 404) {
          throw new AppError("not_found", "Profile not found", { cause: error });
        }
        if (error instanceof HttpError && error.status === 409 && error.code === "start_failed") {
          throw new AppError("unavailable", error.message, { reason: "model_start_failed", cause: error });
        }
        if (error instanceof HttpError && error.status === 409) {
          throw new AppError("unavailable", `Cannot start "${profile.name}": ${error.message}`, {
            reason: "model_start_failed",
            cause: error,
          });
        }
        throw error;
      }
    }
    const baseUrl = `http://${dialHost(status.host)}:${status.port}`;
    const queueMs = performance.now() - started;
    const lease: Lease = {
      profileId: profile.id,
      baseUrl,
      coldStart,
      queueMs,
      release() {},
      [Symbol.dispose]() {},
    };
    return lease;
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
