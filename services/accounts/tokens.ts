/**
 * Session tokens: HS256 JWTs carrying the user id and token version, signed
 * with a per-install secret.
 *
 * @module
 */
import { sign, verify } from "hono/jwt";
import { join } from "node:path";
import { AppError } from "../../lib/errors.ts";

/** The claims of a session token. */
export interface SessionClaims {
  /** The user id, as a string. */
  sub: string;
  /** The user's token version when the token was issued. */
  ver: number;
  iat: number;
  exp: number;
}

/**
 * Reads the signing secret from `<dataDir>/jwt-secret`, creating it (mode
 * 0600) with 64 random bytes on first start. A file too short to be a secret
 * (under 32 characters, or empty) is replaced, and `warn` says so: every
 * session ends. A path that is not a file stops the start with what to do.
 *
 * @example
 * ```ts
 * const secret = await loadOrCreateSecret("/home/ada/.mlx-manager", (m) => logger.warn(m));
 * ```
 */
export async function loadOrCreateSecret(
  dataDir: string,
  warn: (message: string) => void = () => {},
): Promise<string> {
  const path = join(dataDir, "jwt-secret");
  try {
    const existing = (await Deno.readTextFile(path)).trim();
    if (existing.length >= 32) return existing;
    warn(
      `The session secret ${path} is too short (${existing.length} characters): it is replaced, so everyone is signed out`,
    );
  } catch (error) {
    if (
      error instanceof Deno.errors.IsADirectory || (await Deno.stat(path).catch(() => null))?.isFile === false
    ) {
      throw new AppError(
        "unavailable",
        `Cannot start: the session secret ${path} is not a file: remove it (a new secret is made and everyone is signed out) or set MLX_MANAGER_JWT_SECRET`,
        { cause: error },
      );
    }
    if (!(error instanceof Deno.errors.NotFound)) {
      throw new AppError(
        "unavailable",
        `Cannot start: the session secret ${path} cannot be read (${
          (error as Error).message
        }): make it readable or set MLX_MANAGER_JWT_SECRET`,
        { cause: error },
      );
    }
  }
  await Deno.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const bytes = crypto.getRandomValues(new Uint8Array(64));
  const secret = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(
    "",
  );
  await Deno.writeTextFile(path, secret, { mode: 0o600 });
  await Deno.chmod(path, 0o600).catch(() => {});
  return secret;
}

/** How many verified tokens {@link TokenSigner.check} remembers. */
const VERIFIED_CACHE_SIZE = 1000;

/** Options of {@link TokenSigner}. */
export interface TokenSignerOptions {
  /** Milliseconds since the epoch, for `iat` and `exp` (tests pass their own). @default Date.now */
  clock?: () => number;
}

/**
 * Issues and checks session tokens.
 *
 * @example
 * ```ts
 * const signer = new TokenSigner(secret, 7 * 86400);
 * const token = await signer.issue(user.id, user.tokenVersion);
 * (await signer.check(token))?.sub; // "1"
 * ```
 */
export class TokenSigner {
  // Verifying a signature costs a key import and an HMAC on every request; a token that verified once
  // keeps its claims (its expiry is still checked, and callers still check the user and token version).
  readonly #verified = new Map<string, SessionClaims>();

  readonly #secret: string;
  readonly #lifetimeSeconds: number;
  readonly #clock: () => number;

  constructor(secret: string, lifetimeSeconds: number, options: TokenSignerOptions = {}) {
    this.#secret = secret;
    this.#lifetimeSeconds = lifetimeSeconds;
    this.#clock = options.clock ?? Date.now;
  }

  /** Issues a token for a user at their current token version. */
  async issue(userId: number, version: number): Promise<string> {
    const iat = Math.floor(this.#clock() / 1000);
    const claims: SessionClaims = {
      sub: String(userId),
      ver: version,
      iat,
      exp: iat + this.#lifetimeSeconds,
    };
    return await sign({ ...claims }, this.#secret, "HS256");
  }

  /** The claims of a valid token, or null for anything forged, expired or malformed. */
  async check(token: string): Promise<SessionClaims | null> {
    const known = this.#verified.get(token);
    if (known) {
      if (this.#current(known)) return known;
      this.#verified.delete(token);
      return null;
    }
    try {
      // The times are checked below, against this signer's clock.
      const payload = await verify(token, this.#secret, { alg: "HS256", exp: false, nbf: false, iat: false });
      if (
        typeof payload.exp !== "number" || typeof payload.sub !== "string" ||
        typeof payload.ver !== "number"
      ) {
        return null;
      }
      if (!/^\d+$/.test(payload.sub)) return null;
      const claims = payload as unknown as SessionClaims;
      if (!this.#current(payload)) return null;
      if (this.#verified.size >= VERIFIED_CACHE_SIZE) {
        this.#verified.delete(this.#verified.keys().next().value!);
      }
      this.#verified.set(token, claims);
      return claims;
    } catch {
      return null;
    }
  }

  /** Whether a token's times hold now: not expired, not issued in the future, not before its `nbf`. */
  #current(claims: { exp?: unknown; iat?: unknown; nbf?: unknown }): boolean {
    const now = this.#clock() / 1000;
    const at = (value: unknown) => typeof value === "number" && Number.isFinite(value);
    if (!at(claims.exp) || (claims.exp as number) <= now) return false;
    if (claims.iat !== undefined && (!at(claims.iat) || (claims.iat as number) > Math.floor(now))) {
      return false;
    }
    return claims.nbf === undefined || (at(claims.nbf) && (claims.nbf as number) <= Math.floor(now));
  }
}
