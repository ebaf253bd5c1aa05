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

/** One tracked request: the signal that ends its upstream side, and why it ended. */
export interface Tracked {
  /** Aborts when the client goes away or the gateway cuts the request. */
  signal: AbortSignal;
  /** Whether the client closed the connection. */
  clientGone(): boolean;
  /** The gateway's reason for ending it, or null. */
  cutReason(): Cut | null;
  /** Removes it from the set; call once its answer ended. */
  done(): void;
}

/**
 * Adds `request` of `caller` to `inFlight`, with one signal that aborts when
 * the client goes away or the request is cut.
 *
 * @example
 * ```ts
 * const tracked = track(inFlight, request, caller);
 * await fetch(url, { signal: tracked.signal });
 * tracked.done();
 * ```
 */
export function track(inFlight: InFlight, request: Request, caller: Caller): Tracked {
  const abort = new AbortController();
  let cutReason: Cut | null = null;
  let clientGone = request.signal.aborted;
  const onClientAbort = () => {
    clientGone = true;
    abort.abort(new DOMException("The client closed the connection", "AbortError"));
  };
  request.signal.addEventListener("abort", onClientAbort, { once: true });
  const remove = inFlight.add({
    caller,
    cut(cut) {
      cutReason ??= cut;
      abort.abort(new DOMException(cut.message, "AbortError"));
    },
  });
  return {
    signal: abort.signal,
    clientGone: () => clientGone,
    cutReason: () => cutReason,
    done() {
      remove();
      request.signal.removeEventListener("abort", onClientAbort);
    },
  };
}
