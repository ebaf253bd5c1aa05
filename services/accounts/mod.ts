/**
 * Accounts: registration with admin approval, sign-in with throttling,
 * sessions that can be revoked, and user administration with last-admin guards.
 *
 * @module
 */
import type { Db } from "../../db/mod.ts";
import { now, transaction } from "../../db/mod.ts";
import {
  countUsers,
  deleteUser,
  emailKey,
  findUser,
  findUserByEmail,
  insertUser,
  listUsers,
  updateUser,
  type UserChanges,
  type UserRow,
  type UserStatus,
} from "../../db/users.ts";
import { AppError } from "../../lib/errors.ts";
import { type LimitStore, limitStore } from "../../db/limits.ts";
import type { Limits } from "../../lib/limit_types.ts";
import type { EventBus } from "../events.ts";
import { FailureLimiter } from "./rate_limit.ts";
import { LoginThrottle } from "./login_throttle.ts";
import { type PasswordHasher, WorkerPasswordHasher } from "./hasher.ts";
import type { TokenSigner } from "./tokens.ts";

/** A user as the API shows it: never the hash or token version. */
export interface UserPublic {
  id: number;
  email: string;
  is_admin: boolean;
  status: UserStatus;
  created_at: string;
  approved_at: string | null;
  approved_by: number | null;
  /** Limits binding all of the user's keys (and sessions) together; null fields: no limit. */
  limits: Limits;
}

/** The user a valid session belongs to. */
export interface SessionIdentity {
  id: number;
  email: string;
  isAdmin: boolean;
}

/** Converts a row to its public shape. */
export function toPublic(user: UserRow): UserPublic {
  return {
    id: user.id,
    email: user.email,
    is_admin: user.isAdmin,
    status: user.status,
    created_at: user.createdAt,
    approved_at: user.approvedAt,
    approved_by: user.approvedBy,
    limits: user.limits,
  };
}

function isActiveAdmin(user: Pick<UserRow, "isAdmin" | "status">): boolean {
  return user.isAdmin && user.status === "approved";
}

/** Options of {@link Accounts}. */
export interface AccountsOptions {
  /** Throttles failed sign-ins. @default see {@link LoginThrottle} */
  throttle?: LoginThrottle;
  /** Throttles registrations per client address. @default 10 an hour */
  registrations?: FailureLimiter;
  /** Counts failed API key and bearer token checks per client address. @default 20 a minute */
  credentials?: FailureLimiter;
  /** Hashes passwords. @default a worker thread started on the first hash */
  hasher?: PasswordHasher;
  /** Where a user's limits are written (the limits service, which keeps them). @default the database */
  limits?: LimitStore;
}

function tooMany(what: string, wait: number): AppError {
  return new AppError("rate_limited", `Too many ${what}: try again in ${wait} seconds`, { retryAfter: wait });
}

/**
 * The accounts service.
 *
 * @example
 * ```ts
 * const accounts = new Accounts(db, bus, new TokenSigner(secret, 7 * 86400));
 * const admin = await accounts.register({ email: "ada@example.com", password: "long enough" });
 * admin.is_admin; // true: the first account is an approved admin
 * ```
 */
export class Accounts {
  readonly #throttle: LoginThrottle;
  readonly #registrations: FailureLimiter;
  readonly #credentials: FailureLimiter;
  readonly #hasher: PasswordHasher;
  readonly #limits: LimitStore;
  /** A hash of a random password, verified against for unknown accounts (equal timing). */
  #dummy: Promise<string> | null = null;

  readonly #db: Db;
  readonly #bus: EventBus;
  readonly #sessionListeners = new Set<(userId: number) => void>();
  /** Issues and checks session tokens. */
  readonly signer: TokenSigner;

  constructor(db: Db, bus: EventBus, signer: TokenSigner, options: AccountsOptions = {}) {
    this.#db = db;
    this.#bus = bus;
    this.signer = signer;
    this.#throttle = options.throttle ?? new LoginThrottle();
    this.#registrations = options.registrations ?? new FailureLimiter({ limit: 10, windowMs: 60 * 60_000 });
    this.#credentials = options.credentials ?? new FailureLimiter({ limit: 20, windowMs: 60_000 });
    this.#hasher = options.hasher ?? new WorkerPasswordHasher();
    this.#limits = options.limits ?? limitStore(db);
  }

  /** Ends the password thread. */
  close(): void {
    this.#hasher.close();
    this.#sessionListeners.clear();
  }

  /**
   * Calls `listener` with a user's id whenever some of their sessions may
   * have ended (signed out, password changed, disabled, deleted, demoted);
   * returns the function that removes it.
   */
  onSessionsChanged(listener: (userId: number) => void): () => void {
    this.#sessionListeners.add(listener);
    return () => this.#sessionListeners.delete(listener);
  }

  /**
   * Creates an account. The first account ever is an approved admin; later ones wait for approval.
   * Registrations from one `client` address are throttled (before any hashing).
   */
  async register(
    input: { email: string; password: string; client?: string },
  ): Promise<UserPublic> {
    if (input.client !== undefined) {
      const key = `register:${input.client}`;
      const wait = this.#registrations.retryAfter(key);
      if (wait > 0) throw tooMany("registrations from this address", wait);
      this.#registrations.fail(key);
    }
    const passwordHash = await this.#hasher.hash(input.password);
    // Count and insert under one write lock, so two first registrations cannot both become admin.
    const user = transaction(this.#db, () => {
      if (findUserByEmail(this.#db, input.email)) {
        throw new AppError("conflict", "Email already registered", {
          fields: { email: "This email is already registered" },
        });
      }
      const first = countUsers(this.#db) === 0;
      return insertUser(this.#db, {
        email: input.email,
        passwordHash,
        isAdmin: first,
        status: first ? "approved" : "pending",
        now: now(),
      });
    });
    this.#changed(user.id);
    return toPublic(user);
  }

  /**
   * Checks credentials and issues a session token. Failures are throttled per
   * client address and account, per address, and per account for addresses
   * that failed (see {@link LoginThrottle}).
   */
  async login(
    input: { email: string; password: string; client: string },
  ): Promise<{ token: string; user: UserPublic }> {
    const account = emailKey(input.email);
    const wait = this.#throttle.retryAfter(input.client, account);
    if (wait > 0) throw tooMany("failed sign-ins", wait);
    const user = findUserByEmail(this.#db, input.email);
    const ok = user
      ? await this.#hasher.verify(input.password, user.passwordHash)
      : await this.#verifyDummy(input.password);
    if (!user || !ok) {
      this.#throttle.failed(input.client, account);
      throw new AppError("unauthenticated", "Incorrect email or password", {
        headers: { "WWW-Authenticate": "Bearer" },
        reason: "invalid_credentials",
      });
    }
    this.#throttle.succeeded(input.client, account);
    if (user.status === "pending") {
      throw new AppError("forbidden", "Account pending approval", { reason: "pending_approval" });
    }
    if (user.status === "disabled") {
      throw new AppError("forbidden", "Account disabled", { reason: "disabled" });
    }
    return {
      token: await this.signer.issue(user.id, user.tokenVersion),
      user: toPublic(user),
    };
  }

  /**
   * Refuses (429, with the seconds to wait) a credential check from `client`
   * once it has failed too many lately: an address guessing API keys or
   * tokens is held, while valid ones from other addresses are never slowed.
   * Call it before checking an API key or a bearer token, and
   * {@link credentialFailed} when the check fails.
   */
  assertCredentialCheck(client: string | null): void {
    // An address nobody can tell (a request made in-process) is not one bucket every caller shares.
    if (client === null) return;
    const wait = this.#credentials.retryAfter(client);
    if (wait > 0) {
      throw new AppError(
        "rate_limited",
        `Too many wrong API keys or tokens from this address: try again in ${wait} seconds`,
        {
          retryAfter: wait,
          reason: "too_many_failed_credentials",
        },
      );
    }
  }

  /** Records a failed API key or bearer token check from `client`. */
  credentialFailed(client: string | null): void {
    if (client !== null) this.#credentials.fail(client);
  }

  /** The identity behind a token, or null when the token is invalid, revoked or its user may not sign in. */
  async authenticate(token: string): Promise<SessionIdentity | null> {
    const claims = await this.signer.check(token);
    if (!claims) return null;
    const user = findUser(this.#db, Number(claims.sub));
    if (
      !user || user.status !== "approved" || user.tokenVersion !== claims.ver
    ) return null;
    return { id: user.id, email: user.email, isAdmin: user.isAdmin };
  }

  /** A user by id; throws `not_found` when there is none. */
  get(id: number): UserPublic {
    return toPublic(this.#find(id));
  }

  /** Every user, newest first. */
  list(): UserPublic[] {
    return listUsers(this.#db).map(toPublic);
  }

  /** How many registrations wait for approval. */
  pendingCount(): number {
    return countUsers(this.#db, { status: "pending" });
  }

  /** Applies an admin's changes to a user, keeping at least one active admin. */
  update(
    actorId: number,
    id: number,
    input: { email?: string; is_admin?: boolean; status?: UserStatus; limits?: Limits },
  ): UserPublic {
    const user = transaction(this.#db, () => {
      const target = this.#find(id);
      const after = {
        isAdmin: input.is_admin ?? target.isAdmin,
        status: input.status ?? target.status,
      };
      if (isActiveAdmin(target) && !isActiveAdmin(after)) {
        this.#guardLastAdmin(input.is_admin === false ? "demote" : "disable");
      }
      if (
        input.email !== undefined &&
        emailKey(input.email) !== emailKey(target.email)
      ) {
        if (findUserByEmail(this.#db, input.email)) {
          throw new AppError("conflict", "Email already registered", {
            fields: { email: "This email is already registered" },
          });
        }
      }
      const changes: UserChanges = {
        email: input.email,
        isAdmin: input.is_admin,
        status: input.status,
      };
      if (input.status === "approved" && target.approvedAt === null) {
        changes.approvedAt = now();
        changes.approvedBy = actorId;
      }
      // Disabling, suspending or changing the email ends the user's sessions.
      if (
        (input.status && input.status !== "approved") ||
        changes.email !== undefined
      ) changes.bumpTokenVersion = true;
      updateUser(this.#db, id, changes);
      if (input.limits) this.#limits.save("user", id, input.limits);
      return this.#find(id);
    });
    this.#changed(id);
    return toPublic(user);
  }

  /** Deletes a user, keeping at least one active admin. */
  remove(id: number): void {
    transaction(this.#db, () => {
      const target = this.#find(id);
      if (isActiveAdmin(target)) this.#guardLastAdmin("delete");
      deleteUser(this.#db, id);
    });
    this.#changed(id);
  }

  /** Sets a user's password (admin action); their sessions end. */
  async resetPassword(id: number, password: string): Promise<void> {
    this.#find(id);
    const passwordHash = await this.#hasher.hash(password);
    updateUser(this.#db, id, { passwordHash, bumpTokenVersion: true });
    this.#sessionsChanged(id);
  }

  /** Changes the caller's own password after checking the current one; returns a fresh token. */
  async changePassword(
    id: number,
    current: string,
    next: string,
  ): Promise<string> {
    const user = this.#find(id);
    if (!await this.#hasher.verify(current, user.passwordHash)) {
      throw new AppError("bad_request", "Current password is incorrect", {
        fields: { current_password: "Current password is incorrect" },
      });
    }
    updateUser(this.#db, id, {
      passwordHash: await this.#hasher.hash(next),
      bumpTokenVersion: true,
    });
    this.#sessionsChanged(id);
    return await this.signer.issue(id, user.tokenVersion + 1);
  }

  /** Ends every session of a user. */
  logout(id: number): void {
    updateUser(this.#db, id, { bumpTokenVersion: true });
    this.#sessionsChanged(id);
  }

  /**
   * Creates an approved admin, or makes an existing account one with a new
   * password (for headless setups and recovery).
   */
  async ensureAdmin(
    email: string,
    password: string,
  ): Promise<{ user: UserPublic; created: boolean }> {
    const passwordHash = await this.#hasher.hash(password);
    const result = transaction(this.#db, () => {
      const existing = findUserByEmail(this.#db, email);
      if (!existing) {
        return {
          user: insertUser(this.#db, {
            email,
            passwordHash,
            isAdmin: true,
            status: "approved",
            now: now(),
          }),
          created: true,
        };
      }
      updateUser(this.#db, existing.id, {
        passwordHash,
        isAdmin: true,
        status: "approved",
        approvedAt: existing.approvedAt ?? now(),
        bumpTokenVersion: true,
      });
      return { user: this.#find(existing.id), created: false };
    });
    this.#changed(result.user.id);
    return { user: toPublic(result.user), created: result.created };
  }

  /** Spends the same time as a real verification, for unknown accounts. */
  async #verifyDummy(password: string): Promise<false> {
    this.#dummy ??= this.#hasher.hash(crypto.randomUUID());
    await this.#hasher.verify(password, await this.#dummy);
    return false;
  }

  #find(id: number): UserRow {
    const user = findUser(this.#db, id);
    if (!user) throw new AppError("not_found", "User not found");
    return user;
  }

  #guardLastAdmin(action: "demote" | "disable" | "delete"): void {
    const active = countUsers(this.#db, { isAdmin: true, status: "approved" });
    if (active <= 1) {
      throw new AppError(
        "bad_request",
        `Cannot ${action} the last active admin: make another user an admin first`,
        { reason: "last_admin" },
      );
    }
  }

  #changed(id: number): void {
    this.#bus.publish("users.pending", { count: this.pendingCount() }, {
      audience: "admin",
    });
    this.#bus.publish("users.changed", { id }, { audience: "admin" });
    this.#sessionsChanged(id);
  }

  #sessionsChanged(id: number): void {
    for (const listener of [...this.#sessionListeners]) {
      try {
        listener(id);
      } catch { /* a listener's failure is its own */ }
    }
  }
}
