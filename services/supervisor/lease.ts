/**
 * A lease: one request's hold on a profile's server, from admission until
 * release. The gateway takes one per request with `Supervisor.acquire()` and
 * releases it when the response ends; while any lease is held the server is
 * neither unloaded for idleness nor evicted.
 *
 * @module
 */

/** One request's hold on a running server. */
export interface Lease extends Disposable {
  readonly profileId: number;
  /** The dial address of the server, e.g. `http://127.0.0.1:10240` (no `/v1`). */
  readonly baseUrl: string;
  /** True when this request (or the shared start it joined) started the server. */
  readonly coldStart: boolean;
  /** Milliseconds spent waiting in the manager's queue. */
  readonly queueMs: number;
  /**
   * The `model` the request must carry: the name the server was started
   * under (`--served-model-name`); null when the version takes any name.
   */
  readonly servedModel: string | null;
  /** Ends the request (idempotent); the last release starts the idle timer. */
  release(): void;
}

/**
 * A {@link Lease} that calls `onRelease` once.
 *
 * @example
 * ```ts
 * using lease = new HeldLease({ profileId: 1, baseUrl, coldStart: false, queueMs: 0, servedModel: null }, () => done());
 * ```
 */
export class HeldLease implements Lease {
  readonly profileId: number;
  readonly baseUrl: string;
  readonly coldStart: boolean;
  readonly queueMs: number;
  readonly servedModel: string | null;
  #onRelease: (() => void) | null;

  constructor(
    facts: {
      profileId: number;
      baseUrl: string;
      coldStart: boolean;
      queueMs: number;
      servedModel: string | null;
    },
    onRelease: () => void,
  ) {
    this.profileId = facts.profileId;
    this.baseUrl = facts.baseUrl;
    this.coldStart = facts.coldStart;
    this.queueMs = facts.queueMs;
    this.servedModel = facts.servedModel;
    this.#onRelease = onRelease;
  }

  release(): void {
    const onRelease = this.#onRelease;
    this.#onRelease = null;
    onRelease?.();
  }

  [Symbol.dispose](): void {
    this.release();
  }
}
