/**
 * API keys for `/v1`: created at random (never chosen by a person), shown
 * once, kept only as a keyed hash, listed without the secret, revoked by
 * their owner or an admin. Every check reads the database, so a revocation or
 * a disabled owner takes effect from the next request; listeners hear of
 * revocations at once, so open streams can be ended.
 *
 * @module
 */
import { z } from "zod";
import type { Db } from "../../db/mod.ts";
import { now } from "../../db/mod.ts";
import {
  type ApiKeyRow,
  findApiKey,
  findApiKeyByLookup,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
  touchApiKey,
} from "../../db/api_keys.ts";
import { findUser } from "../../db/users.ts";
import { AppError } from "../../lib/errors.ts";
import type { ApiKeyItem } from "../../lib/gateway_types.ts";
import { generateKey, hashSecret, parseKey, sameHash } from "./format.ts";
import { type LimitStore, limitStore } from "../../db/limits.ts";
import { type Limits, NO_LIMITS } from "../../lib/limit_types.ts";
import { aboveBound, LimitsInput } from "../limits/schemas.ts";

/** A key as the API shows it: never the secret or its hash (declared once in `lib/`). */
export type ApiKeyView = ApiKeyItem;

/** The answer of a creation: the view plus the key, shown this once. */
export interface CreatedApiKey extends ApiKeyView {
  key: string;
}

/** The owner and key behind a valid presented key. */
export interface KeyIdentity {
  keyId: number;
  userId: number;
  email: string;
  isAdmin: boolean;
  /** The names the key may use; null means all. */
  models: string[] | null;
}

/** `POST /api/keys`. */
export const CreateKeyInput = z.object({
  name: z.string({ error: "Name is required" }).trim().min(1, "Name is required").max(
    100,
    "Name is too long",
  ),
  expires_at: z.iso.datetime({ offset: true, error: "expires_at must be an ISO 8601 date and time" })
    .nullable().optional(),
  models: z.array(z.string().trim().min(1, "A model name cannot be empty").max(128), {
    error: "models must be a list of model names",
  }).max(100).nullable().optional(),
  limits: LimitsInput.optional(),
});

/** `PUT /api/keys/{id}`: the key's new limits (every field; absent ones become null = no limit). */
export const UpdateKeyInput = z.strictObject({ limits: LimitsInput }, {
  error: (issue) =>
    issue.code === "unrecognized_keys" ? `Unknown field: ${issue.keys.join(", ")}` : undefined,
});

/** Who creates or changes a key. */
export interface KeyActor {
  id: number;
  isAdmin: boolean;
}

/** A validated creation request. */
export type CreateKey = z.output<typeof CreateKeyInput>;

/** Dependencies of {@link ApiKeys}. */
export interface ApiKeysDeps {
  db: Db;
  /** The install's pepper as an HMAC key. */
  pepper: CryptoKey;
  /** Whether a name or alias belongs to a profile (for allow-lists). */
  knownModel: (name: string) => boolean;
  /** The clock. @default Date.now */
  clock?: () => number;
  /** Where limits are read and written (the limits service, which keeps them). @default the database */
  limits?: LimitStore;
}

function view(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    created_at: row.createdAt,
    expires_at: row.expiresAt,
    models: row.models,
    last_used_at: row.lastUsedAt,
    limits: row.limits,
  };
}

/**
 * The API keys service.
 *
 * @example
 * ```ts
 * const keys = new ApiKeys({ db, pepper, knownModel: () => true });
 * const created = await keys.create(user.id, { name: "Cursor" });
 * (await keys.verify(created.key)).userId === user.id; // true
 * keys.revoke(user, created.id);
 * ```
 */
export class ApiKeys {
  readonly #deps: ApiKeysDeps;
  readonly #revoked = new Set<(keyId: number) => void>();
  // A key's last use is written at most this often, so every request does not write.
  readonly #touched = new Map<number, number>();

  readonly #limits: LimitStore;

  constructor(deps: ApiKeysDeps) {
    this.#deps = deps;
    this.#limits = deps.limits ?? limitStore(deps.db);
  }

  #now(): number {
    return (this.#deps.clock ?? Date.now)();
  }

  /**
   * Creates a key for `userId`; the answer holds the key, which is never shown
   * again. A key's limits may not pass its owner's unless an admin sets them.
   */
  async create(
    userId: number,
    input: CreateKey,
    actor: KeyActor = { id: userId, isAdmin: false },
  ): Promise<CreatedApiKey> {
    const limits = input.limits ?? NO_LIMITS;
    this.#checkBound(userId, limits, actor);
    if (input.expires_at && Date.parse(input.expires_at) <= this.#now()) {
      throw new AppError("invalid", "expires_at must be in the future", {
        fields: { expires_at: "Must be in the future" },
      });
    }
    const models = input.models && input.models.length > 0 ? [...new Set(input.models)] : null;
    const unknown = models?.filter((m) => !this.#deps.knownModel(m)) ?? [];
    if (unknown.length > 0) {
      throw new AppError("invalid", `No profile is named ${unknown.map((m) => `"${m}"`).join(", ")}`, {
        fields: { models: `Unknown: ${unknown.join(", ")}` },
      });
    }
    const parts = generateKey();
    const row = insertApiKey(this.#deps.db, {
      lookup: parts.lookup,
      userId,
      name: input.name,
      secretHash: await hashSecret(this.#deps.pepper, parts.secret),
      prefix: `mlxm_${parts.lookup}`,
      models,
      createdAt: now(),
      expiresAt: input.expires_at ? new Date(input.expires_at).toISOString() : null,
    });
    this.#limits.save("key", row.id, limits);
    return { ...view({ ...row, limits }), key: parts.key };
  }

  /**
   * Replaces a key's limits (its owner, within the owner's own limits, or an admin).
   *
   * @throws {AppError} `not_found` when the key does not exist, is revoked, or is someone else's;
   *   `invalid` when a limit passes the owner's
   */
  setLimits(actor: KeyActor, id: number, limits: Limits): ApiKeyView {
    const row = findApiKey(this.#deps.db, id);
    if (!row || row.revokedAt || (row.userId !== actor.id && !actor.isAdmin)) {
      throw new AppError("not_found", "API key not found");
    }
    this.#checkBound(row.userId, limits, actor);
    this.#limits.save("key", id, limits);
    return view({ ...row, limits });
  }

  #checkBound(ownerId: number, limits: Limits, actor: KeyActor): void {
    if (actor.isAdmin) return;
    const fields = aboveBound(limits, this.#limits.limitsOf("user", ownerId) ?? NO_LIMITS);
    if (Object.keys(fields).length === 0) return;
    throw new AppError(
      "invalid",
      `A key's limits may not pass your account's: ${Object.keys(fields).join(", ")}`,
      {
        fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [`limits.${k}`, v])),
      },
    );
  }

  /** The caller's keys, or with `all` (admins) everyone's with their owners. */
  list(caller: { id: number; isAdmin: boolean }, options: { all?: boolean } = {}): ApiKeyView[] {
    const all = options.all === true;
    if (all && !caller.isAdmin) throw new AppError("forbidden", "Only admins may list every key");
    return listApiKeys(this.#deps.db, all ? null : caller.id).map((row) => {
      if (!all) return view(row);
      const owner = findUser(this.#deps.db, row.userId);
      return { ...view(row), owner: { id: row.userId, email: owner?.email ?? null } };
    });
  }

  /**
   * Revokes a key (its owner or an admin). Open streams of the key are told at once.
   *
   * @throws {AppError} `not_found` when the key does not exist, is revoked, or is someone else's
   */
  revoke(caller: { id: number; isAdmin: boolean }, id: number): void {
    const row = findApiKey(this.#deps.db, id);
    if (!row || row.revokedAt || (row.userId !== caller.id && !caller.isAdmin)) {
      throw new AppError("not_found", "API key not found");
    }
    revokeApiKey(this.#deps.db, id, now());
    this.#touched.delete(id);
    for (const listener of [...this.#revoked]) listener(id);
  }

  /** Calls `listener` with the id of each key revoked from now on; returns the function that stops it. */
  onRevoked(listener: (keyId: number) => void): () => void {
    this.#revoked.add(listener);
    return () => this.#revoked.delete(listener);
  }

  /**
   * The identity behind a presented key. Reads the key and its owner from the
   * database every time: no cache can outlive a revocation.
   *
   * @throws {AppError} `unauthenticated` for a malformed, unknown, revoked or
   *   expired key, or one whose owner is disabled or deleted
   */
  async verify(presented: string): Promise<KeyIdentity> {
    const parts = parseKey(presented);
    const invalid = (why: string) => new AppError("unauthenticated", why, { reason: "invalid_api_key" });
    if (!parts) {
      throw invalid("Incorrect API key provided: keys look like mlxm_…; create one on the Keys page");
    }
    const row = findApiKeyByLookup(this.#deps.db, parts.lookup);
    const hash = await hashSecret(this.#deps.pepper, parts.secret);
    if (!row || !sameHash(hash, row.secretHash)) throw invalid("Incorrect API key provided");
    if (row.revokedAt) throw invalid("This API key was revoked; create a new one on the Keys page");
    if (row.expiresAt && Date.parse(row.expiresAt) <= this.#now()) {
      throw invalid("This API key has expired; create a new one on the Keys page");
    }
    const owner = findUser(this.#deps.db, row.userId);
    if (!owner || owner.status !== "approved") {
      throw invalid("The account this API key belongs to is disabled");
    }
    const at = this.#now();
    if (at - (this.#touched.get(row.id) ?? 0) > 60_000) {
      this.#touched.set(row.id, at);
      touchApiKey(this.#deps.db, row.id, new Date(at).toISOString());
    }
    return {
      keyId: row.id,
      userId: owner.id,
      email: owner.email,
      isAdmin: owner.isAdmin,
      models: row.models,
    };
  }

  /** Whether a key may still be used right now (not revoked, not expired, owner active). */
  stillValid(keyId: number): boolean {
    const row = findApiKey(this.#deps.db, keyId);
    if (!row || row.revokedAt || (row.expiresAt && Date.parse(row.expiresAt) <= this.#now())) return false;
    return findUser(this.#deps.db, row.userId)?.status === "approved";
  }
}
