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

/** Issues and checks session tokens. */
export class TokenSigner {
  // Verifying a signature costs a key import and an HMAC on every request; a token that verified once
  // keeps its claims (its expiry is still checked, and callers still check the user and token version).
  readonly #verified = new Map<string, SessionClaims>();

  readonly #secret: string;
  readonly #lifetimeSeconds: number;

  constructor(secret: string, lifetimeSeconds: number) {
    this.#secret = secret;
    this.#lifetimeSeconds = lifetimeSeconds;
  }

  /** Issues a token for a user at their current token version. */
  async issue(userId: number, version: number): Promise<string> {
    const iat = Math.floor(Date.now() / 1000);
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
      if (known.exp > Date.now() / 1000) return known;
      this.#verified.delete(token);
      return null;
    }
    try {
      const payload = await verify(token, this.#secret, "HS256");
      if (
        typeof payload.exp !== "number" || typeof payload.sub !== "string" ||
        typeof payload.ver !== "number"
      ) {
        return null;
      }
      if (!/^\d+$/.test(payload.sub)) return null;
      const claims = payload as unknown as SessionClaims;
      if (this.#verified.size >= VERIFIED_CACHE_SIZE) {
        this.#verified.delete(this.#verified.keys().next().value!);
      }
      this.#verified.set(token, claims);
      return claims;
    } catch {
      return null;
    }
  }
}
