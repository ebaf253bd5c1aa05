/**
 * Password hashing with argon2id, stored as PHC strings.
 *
 * New hashes use the OWASP-recommended parameters (19 MiB, 2 passes, 1 lane);
 * verification reads the parameters from the stored string, so hashes written
 * by other argon2 libraries and with other parameters (64 MiB, t=3, p=4, say)
 * verify too.
 *
 * @module
 */
import { argon2id, argon2Verify } from "hash-wasm";

/** The shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 8;
/** The longest password accepted (hashing cost grows with length). */
export const MAX_PASSWORD_LENGTH = 1024;

/**
 * Hashes a password with a fresh random salt.
 *
 * @example
 * ```ts
 * const hash = await hashPassword("correct horse");
 * hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"); // true
 * ```
 */
export async function hashPassword(password: string): Promise<string> {
  return await argon2id({
    password,
    salt: crypto.getRandomValues(new Uint8Array(16)),
    parallelism: 1,
    iterations: 2,
    memorySize: 19456,
    hashLength: 32,
    outputType: "encoded",
  });
}

/** Checks a password against a PHC string; false for a mismatch or an unreadable hash. */
export async function verifyPassword(
  password: string,
  hash: string,
): Promise<boolean> {
  if (!hash.startsWith("$argon2")) return false;
  try {
    return await argon2Verify({ password, hash });
  } catch {
    return false;
  }
}
