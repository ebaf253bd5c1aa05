/**
 * The in-memory state of one limited subject (a key or a user): the requests
 * and tokens of the last minute as sliding logs, the requests in flight and
 * the tokens they are expected to use. Pure: every method takes the time.
 *
 * @module
 */

/** The length of the rpm and tpm windows. */
export const WINDOW_MS = 60_000;

/** Tokens counted at one instant. */
interface TokenEntry {
  at: number;
  tokens: number;
  /** False once it left the window (or was replaced by the answer's count). */
  live: boolean;
}

/** What one admitted request holds on one subject until it is settled. */
export interface Hold {
  readonly state: SubjectState;
  readonly entry: TokenEntry;
  readonly estimate: number;
}

/**
 * One subject's windows.
 *
 * @example
 * ```ts
 * const s = new SubjectState();
 * const hold = s.reserve(1_000, 12);
 * s.requests(1_000); // 1
 * s.settle(hold, 2_000, 40);
 * s.tokens(2_000); // 40
 * ```
 */
export class SubjectState {
  /** Admission times of the last minute, oldest first, from `#head`. */
  #requests: number[] = [];
  #head = 0;
  #tokens: TokenEntry[] = [];
  #tokenHead = 0;
  #tokenSum = 0;
  /** Requests in flight. */
  inFlight = 0;
  /** Estimated tokens of the requests in flight (for budgets, whose used part comes from the database). */
  pending = 0;
  /** The last time anything happened, to forget idle subjects. */
  touched = 0;

  #prune(now: number): void {
    const from = now - WINDOW_MS;
    while (this.#head < this.#requests.length && this.#requests[this.#head] <= from) this.#head++;
    if (this.#head > 64 && this.#head * 2 > this.#requests.length) {
      this.#requests = this.#requests.slice(this.#head);
      this.#head = 0;
    }
    while (this.#tokenHead < this.#tokens.length && this.#tokens[this.#tokenHead].at <= from) {
      const e = this.#tokens[this.#tokenHead++];
      if (e.live) this.#tokenSum -= e.tokens;
      e.live = false;
    }
    if (this.#tokenHead > 64 && this.#tokenHead * 2 > this.#tokens.length) {
      this.#tokens = this.#tokens.slice(this.#tokenHead);
      this.#tokenHead = 0;
    }
  }

  /** Requests admitted in the last minute. */
  requests(now: number): number {
    this.#prune(now);
    return this.#requests.length - this.#head;
  }

  /** Tokens counted in the last minute (answers' counts, and estimates of those in flight). */
  tokens(now: number): number {
    this.#prune(now);
    return this.#tokenSum;
  }

  /** Milliseconds until the oldest request of the window leaves it (0 when none). */
  requestsFreeIn(now: number): number {
    this.#prune(now);
    return this.#head < this.#requests.length ? this.#requests[this.#head] + WINDOW_MS - now : 0;
  }

  /** Milliseconds until the tokens of the window fall below `limit` (0 when they are). */
  tokensBelowIn(now: number, limit: number): number {
    this.#prune(now);
    let sum = this.#tokenSum;
    for (let i = this.#tokenHead; i < this.#tokens.length && sum >= limit; i++) {
      const e = this.#tokens[i];
      if (!e.live) continue;
      sum -= e.tokens;
      if (sum < limit) return e.at + WINDOW_MS - now;
    }
    return 0;
  }

  /** Counts an admitted request and its estimated tokens. */
  reserve(now: number, estimate: number): Hold {
    this.#prune(now);
    this.#requests.push(now);
    const entry: TokenEntry = { at: now, tokens: estimate, live: true };
    this.#tokens.push(entry);
    this.#tokenSum += estimate;
    this.inFlight++;
    this.pending += estimate;
    this.touched = now;
    return { state: this, entry, estimate };
  }

  /**
   * Ends a request: it leaves the requests in flight, and its estimate is
   * replaced by the answer's token count, counted now (a stream's tokens are
   * known at its end).
   */
  settle(hold: Hold, now: number, tokens: number): void {
    this.#prune(now);
    this.inFlight--;
    this.pending -= hold.estimate;
    if (hold.entry.live) {
      hold.entry.live = false;
      this.#tokenSum -= hold.entry.tokens;
    }
    if (tokens > 0) {
      this.#tokens.push({ at: now, tokens, live: true });
      this.#tokenSum += tokens;
    }
    this.touched = now;
  }

  /** Whether nothing of it is left to remember. */
  idle(now: number): boolean {
    return this.inFlight === 0 && this.requests(now) === 0 && this.tokens(now) === 0;
  }
}
