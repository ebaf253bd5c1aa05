/**
 * The install's key-hashing pepper: 32 random bytes kept in the data dir,
 * readable only by the owner (0600), created on first use.
 *
 * @module
 */
import { join } from "node:path";

/** The pepper file's name in the data dir. */
export const PEPPER_FILE = "api-key-pepper";

/**
 * Reads the pepper (hex), creating it when missing.
 *
 * @example
 * ```ts
 * const pepper = await loadOrCreatePepper("/home/ada/.mlx-manager");
 * ```
 */
export async function loadOrCreatePepper(dataDir: string): Promise<string> {
  const path = join(dataDir, PEPPER_FILE);
  try {
    const existing = (await Deno.readTextFile(path)).trim();
    if (/^[0-9a-f]{64}$/.test(existing)) return existing;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await Deno.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const pepper = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  await Deno.writeTextFile(path, pepper, { mode: 0o600 });
  await Deno.chmod(path, 0o600).catch(() => {});
  return pepper;
}
