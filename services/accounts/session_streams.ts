/**
 * The open streams of signed-in sessions (live events, server logs, chat
 * answers, download progress), so that a stream ends as soon as its session
 * does: signing out, a changed password, disabling or deleting the user end
 * it within moments, and so does a change of role (the stream was filtered
 * for the old one). Each stream is watched with the token it was opened with;
 * every change to a user's sessions checks that user's tokens again.
 *
 * @module
 */
import type { Accounts, SessionIdentity } from "./mod.ts";

/** A watched stream's end of the watch. */
export interface SessionWatch {
  /** Aborts when the session that opened the stream ends. */
  readonly signal: AbortSignal;
  /** Stops watching (the stream ended on its own). */
  release(): void;
}

interface Watched {
  token: string;
  isAdmin: boolean;
  abort: AbortController;
}

/**
 * The registry of watched streams.
 *
 * @example
 * ```ts
 * const streams = new SessionStreams(accounts);
 * const watch = streams.watch(token, user);
 * sseResponse(start, { signal: AbortSignal.any([request.signal, watch.signal]) });
 * watch.release(); // when the stream ends
 * ```
 */
export class SessionStreams {
  readonly #accounts: Accounts;
  readonly #byUser = new Map<number, Set<Watched>>();
  readonly #stop: () => void;

  constructor(accounts: Accounts) {
    this.#accounts = accounts;
    this.#stop = accounts.onSessionsChanged((userId) => void this.#check(userId));
  }

  /** How many streams are watched. */
  get size(): number {
    let n = 0;
    for (const set of this.#byUser.values()) n += set.size;
    return n;
  }

  /** Watches a stream opened with `token` by `user`. */
  watch(token: string, user: SessionIdentity): SessionWatch {
    const watched: Watched = { token, isAdmin: user.isAdmin, abort: new AbortController() };
    let set = this.#byUser.get(user.id);
    if (!set) this.#byUser.set(user.id, set = new Set());
    set.add(watched);
    const release = () => {
      set.delete(watched);
      if (set.size === 0 && this.#byUser.get(user.id) === set) this.#byUser.delete(user.id);
    };
    watched.abort.signal.addEventListener("abort", release, { once: true });
    return { signal: watched.abort.signal, release };
  }

  /** Ends every watch. */
  close(): void {
    this.#stop();
    for (const set of this.#byUser.values()) for (const w of set) w.abort.abort();
    this.#byUser.clear();
  }

  async #check(userId: number): Promise<void> {
    const set = this.#byUser.get(userId);
    if (!set) return;
    for (const watched of [...set]) {
      const identity = await this.#accounts.authenticate(watched.token).catch(() => null);
      if (!identity || identity.id !== userId || identity.isAdmin !== watched.isAdmin) watched.abort.abort();
    }
  }
}
