/**
 * Where the gateway gets a server for a profile: {@link Backends.acquire}
 * returns a {@link Lease} on a ready server, starting it on demand. The
 * supervisor owns every decision behind it (start, queue, unload); the
 * gateway only holds the lease for the life of one request.
 *
 * @module
 */
import type { Profile } from "../../lib/profile_types.ts";
import type { Lease } from "../supervisor/lease.ts";
import type { Supervisor } from "../supervisor/mod.ts";

export type { Lease } from "../supervisor/lease.ts";

/** Source of leases. */
export interface Backends {
  /**
   * A lease on the profile's ready server; `model` is the name the request
   * used (shown on the dashboard when it starts the server).
   *
   * @throws {AppError} `not_found`; `unavailable` (`model_start_failed`,
   *   `queue_timeout`, `model_exceeds_memory_budget`); `rate_limited` (`queue_full`, with `retryAfter`)
   */
  acquire(profile: Profile, options?: { signal?: AbortSignal; model?: string }): Promise<Lease>;
}

/**
 * Leases from the supervisor, which alone decides start, queue, idle unload
 * and eviction of each profile's server.
 */
export class SupervisorBackends implements Backends {
  readonly #supervisor: Supervisor;

  constructor(supervisor: Supervisor) {
    this.#supervisor = supervisor;
  }

  acquire(profile: Profile, options: { signal?: AbortSignal; model?: string } = {}): Promise<Lease> {
    return this.#supervisor.acquire(profile.id, options);
  }
}
