/**
 * The token `mlx-manager login` keeps for later commands: `<data dir>/cli-token`,
 * readable by the owner only, remembering which manager it belongs to so it
 * is never sent anywhere else.
 *
 * @module
 */
import { join } from "node:path";

/** A saved sign-in. */
export interface StoredToken {
  url: string;
  token: string;
  email: string;
  saved_at: string;
}

/** Where the token is kept. */
export function tokenPath(dataDir: string): string {
  return join(dataDir, "cli-token");
}

/** The saved sign-in, or null when there is none or it is unreadable. */
export async function readToken(dataDir: string): Promise<StoredToken | null> {
  try {
    const value = JSON.parse(await Deno.readTextFile(tokenPath(dataDir)));
    return typeof value?.token === "string" && typeof value?.url === "string" ? value : null;
  } catch {
    return null;
  }
}

/**
 * Saves a sign-in with mode 0600, replacing the old one atomically.
 *
 * @example
 * ```ts
 * await saveToken(config.dataDir, { url, token, email, saved_at: new Date().toISOString() });
 * ```
 */
export async function saveToken(dataDir: string, entry: StoredToken): Promise<string> {
  await Deno.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = tokenPath(dataDir);
  const temporary = `${path}.${crypto.randomUUID().slice(0, 8)}`;
  await Deno.writeTextFile(temporary, `${JSON.stringify(entry, null, 2)}\n`, {
    mode: 0o600,
    createNew: true,
  });
  await Deno.chmod(temporary, 0o600).catch(() => {});
  await Deno.rename(temporary, path);
  return path;
}

/** Deletes the saved sign-in; false when there was none. */
export async function removeToken(dataDir: string): Promise<boolean> {
  try {
    await Deno.remove(tokenPath(dataDir));
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
