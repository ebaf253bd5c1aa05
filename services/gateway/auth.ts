/**
 * Who is calling `/v1`: an API key (`Authorization: Bearer mlxm_…` or
 * `x-api-key`), a session token as Bearer, or the browser's session cookie
 * (then only from this app's own origin for requests that change things).
 * With `auth: "none"` (loopback binds only) a request without credentials is
 * let in anonymously. Wrong keys and tokens are counted per client address:
 * an address that sent too many lately gets 429 before its next one is looked at.
 *
 * @module
 */
import type { Accounts } from "../accounts/mod.ts";
import { type ApiKeys, type KeyIdentity } from "../keys/mod.ts";
import { looksLikeKey } from "../keys/format.ts";
import { isAppError } from "../../lib/errors.ts";
import { forbiddenOrigin, invalidApiKey } from "./errors.ts";

/** The identity of a `/v1` request. */
export interface Caller {
  /** null for an anonymous caller (`auth: "none"`). */
  userId: number | null;
  keyId: number | null;
  isAdmin: boolean;
  /** The key's allow-list; null means every model. */
  models: string[] | null;
}

/** The credentials a request presents. */
export interface Credentials {
  /** From `Authorization: Bearer` or `x-api-key`. */
  bearer: string | null;
  /** The session cookie's value. */
  cookie: string | null;
  /** Whether the request comes from this app's own pages. */
  sameOrigin: boolean;
  /** Whether the method changes things (POST, …). */
  unsafe: boolean;
  /** The client's address, which failed checks are counted by; null when unknown (never throttled). */
  address?: string | null;
}

/** Dependencies of {@link authenticateCaller}. */
export interface AuthDeps {
  keys: ApiKeys;
  accounts: Accounts;
  /** `"key"`: credentials required; `"none"`: anonymous callers allowed. */
  mode: "key" | "none";
}

/** A key's caller: its identity without the owner's email. */
function fromKey({ userId, keyId, isAdmin, models }: KeyIdentity): Caller {
  return { userId, keyId, isAdmin, models };
}

/**
 * Identifies the caller, or throws the refusal to answer: `invalid_api_key`,
 * or `forbidden_origin` for a cross-origin cookie request.
 *
 * @example
 * ```ts
 * const caller = await authenticateCaller({ bearer: "mlxm_…", cookie: null, sameOrigin: false, unsafe: true }, deps);
 * ```
 */
export async function authenticateCaller(credentials: Credentials, deps: AuthDeps): Promise<Caller> {
  const { bearer, cookie } = credentials;
  const anonymous: Caller = { userId: null, keyId: null, isAdmin: false, models: null };
  if (bearer) {
    const address = credentials.address ?? null;
    if (deps.mode === "key") deps.accounts.assertCredentialCheck(address);
    if (looksLikeKey(bearer)) {
      try {
        return fromKey(await deps.keys.verify(bearer));
      } catch (error) {
        if (deps.mode === "none") return anonymous;
        if (isAppError(error, "unauthenticated")) {
          deps.accounts.credentialFailed(address);
          throw invalidApiKey(error.message);
        }
        throw error;
      }
    }
    const session = await deps.accounts.authenticate(bearer);
    if (session) return { userId: session.id, keyId: null, isAdmin: session.isAdmin, models: null };
    if (deps.mode === "none") return anonymous;
    deps.accounts.credentialFailed(address);
    throw invalidApiKey(
      "Incorrect API key provided: create a key on the Keys page and send it as a Bearer token",
    );
  }
  if (cookie) {
    const session = await deps.accounts.authenticate(cookie);
    if (session) {
      if (credentials.unsafe && !credentials.sameOrigin) {
        throw forbiddenOrigin();
      }
      return { userId: session.id, keyId: null, isAdmin: session.isAdmin, models: null };
    }
  }
  if (deps.mode === "none") return anonymous;
  throw invalidApiKey(
    "You didn't provide an API key. Send it as Authorization: Bearer <key>; create one on the Keys page",
  );
}
