/**
 * The requests in flight, so that revoking a key or disabling an account ends
 * the requests it made at once, and shutting down ends them all.
 *
 * @module
 */
import type { Caller } from "./auth.ts";
import type { Cut } from "./passthrough.ts";

/** A request in flight. */
export interface Active {
  caller: Caller;
  cut(cut: Cut): void;
}

/**
 * The set of requests in flight.
 *
 * @example
 * ```ts
 * const inFlight = new InFlight();
 * const done = inFlight.add({ caller, cut: (c) => abort(c) });
 * inFlight.cutWhere((a) => a.caller.keyId === 7, { type: "invalid_request_error", code: "api_key_revoked", message: "revoked" });
 * done();
 * ```
 */
export class InFlight {
  readonly #active = new Set<Active>();

  /** How many there are. */
  get size(): number {
    return this.#active.size;
  }

  /** Adds a request; the function returned removes it. */
  add(active: Active): () => void {
    this.#active.add(active);
    return () => this.#active.delete(active);
  }

  /** Ends every request that `match` picks. */
  cutWhere(match: (active: Active) => boolean, cut: Cut): void {
    for (const a of this.#active) if (match(a)) a.cut(cut);
  }
}
