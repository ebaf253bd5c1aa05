/**
 * The shape of an API key, `mlxm_<lookup>_<secret>`: base62, an 8-character
 * public lookup part and a 32-character secret (190 random bits), and its
 * keyed hash. Pure except for the random source.
 *
 * @module
 */

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** What every key starts with. */
export const KEY_PREFIX = "mlxm_";

/** `length` random base62 characters (rejection sampling, so every character is equally likely). */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

/** A new key's parts. */
export interface KeyParts {
  lookup: string;
  secret: string;
  /** The whole key, given to the user once. */
  key: string;
}

/** Makes a new random key. */
export function generateKey(): KeyParts {
  const lookup = randomBase62(8);
  const secret = randomBase62(32);
  return { lookup, secret, key: `${KEY_PREFIX}${lookup}_${secret}` };
}

/**
 * Splits a presented key, or null when it is not one of ours.
 *
 * @example
 * ```ts
 * parseKey("mlxm_ab12CD34_" + "x".repeat(32)); // { lookup: "ab12CD34", secret: "xxx…" }
 * parseKey("sk-other"); // null
 * ```
 */
export function parseKey(key: string): { lookup: string; secret: string } | null {
  const match = key.match(/^mlxm_([0-9A-Za-z]{8})_([0-9A-Za-z]{32})$/);
  return match ? { lookup: match[1], secret: match[2] } : null;
}

/** Whether `token` looks like one of our keys (so it is not tried as a session token). */
export function looksLikeKey(token: string): boolean {
  return token.startsWith(KEY_PREFIX);
}

/** The HMAC-SHA256 of a secret under the install's pepper, as hex. */
export async function hashSecret(pepper: CryptoKey, secret: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", pepper, new TextEncoder().encode(secret));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Compares two hex strings in time independent of where they differ. */
export function sameHash(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Imports a pepper (hex) as an HMAC key. */
export function importPepper(hex: string): Promise<CryptoKey> {
  const bytes = new Uint8Array(hex.match(/../g)!.map((h) => parseInt(h, 16)));
  return crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}
