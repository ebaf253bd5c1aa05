/**
 * Sign-in throttling that strangers cannot turn into a lockout.
 *
 * Failures count per address and account (a fast limit), per address across
 * accounts (password spraying), and per account from everywhere, which adds
 * a slower, growing backoff. That backoff holds only addresses that failed
 * recently: a correct password from an address that has not failed still
 * signs in, so nobody can lock the owner (or the sole admin) out by guessing.
 *
 * @module
 */
import { FailureLimiter } from "./rate_limit.ts";

/** Options of {@link LoginThrottle}. */
export interface LoginThrottleOptions {
  /** Failures per address and account a minute. @default 10 */
  pairLimit?: number;
  /** Failures per address across accounts in 15 minutes. @default 30 */
  addressLimit?: number;
  /** Failures of an account (from anywhere) in an hour before its backoff starts. @default 10 */
  accountLimit?: number;
  /** The longest backoff, in seconds. @default 900 */
  maxBackoffSeconds?: number;
  /** The clock. @default Date.now */
  now?: () => number;
}

/**
 * Decides whether a sign-in may be tried and records its outcome.
 *
 * @example
 * ```ts
 * const throttle = new LoginThrottle();
 * const wait = throttle.retryAfter("10.0.0.5", "ada@example.com"); // 0: go ahead
 * throttle.failed("10.0.0.5", "ada@example.com");
 * ```
 */
export class LoginThrottle {
  readonly #pair: FailureLimiter;
  readonly #address: FailureLimiter;
  readonly #account: FailureLimiter;
  readonly #accountLimit: number;
  readonly #maxBackoff: number;
  readonly #now: () => number;

  constructor(options: LoginThrottleOptions = {}) {
    const now = options.now ?? Date.now;
    this.#now = now;
    this.#pair = new FailureLimiter({ limit: options.pairLimit ?? 10, windowMs: 60_000, now });
    this.#address = new FailureLimiter({ limit: options.addressLimit ?? 30, windowMs: 15 * 60_000, now });
    this.#accountLimit = options.accountLimit ?? 10;
    // The account limiter only counts: its backoff is computed here.
    this.#account = new FailureLimiter({ limit: Number.MAX_SAFE_INTEGER, windowMs: 60 * 60_000, now });
    this.#maxBackoff = options.maxBackoffSeconds ?? 900;
  }

  /** Seconds `address` must wait before trying `account` again, or 0. */
  retryAfter(address: string, account: string): number {
    const own = Math.max(this.#pair.retryAfter(`${address}|${account}`), this.#address.retryAfter(address));
    if (own > 0) return own;
    // An address that has not failed lately is not held by the account's backoff.
    if (this.#address.failures(address) === 0) return 0;
    return this.#backoff(account);
  }

  /** Records a failed sign-in. */
  failed(address: string, account: string): void {
    this.#pair.fail(`${address}|${account}`);
    this.#address.fail(address);
    this.#account.fail(account);
  }

  /** Records a successful sign-in: the address's failures against the account are forgotten. */
  succeeded(address: string, account: string): void {
    this.#pair.reset(`${address}|${account}`);
  }

  /** The account's backoff: 1 s at its limit, doubling with each further failure, capped. */
  #backoff(account: string): number {
    const failures = this.#account.failures(account);
    if (failures < this.#accountLimit) return 0;
    const delay = Math.min(this.#maxBackoff, 2 ** (failures - this.#accountLimit)) * 1000;
    const last = this.#account.lastFailure(account)!;
    return Math.max(0, Math.ceil((last + delay - this.#now()) / 1000));
  }
}
