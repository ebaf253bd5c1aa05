/**
 * Whether the build is fresh: a hash of the names, sizes and modification
 * times of the sources, compared with the one the build wrote into its
 * manifest. Kept apart from the build itself (and its compressors) because
 * every start of the command line from source asks it.
 *
 * @module
 */
import { join, relative } from "node:path";
import { ROOT, SERVER_BUNDLE } from "../lib/paths.ts";

/**
 * Folders whose files decide whether the build is stale: Tailwind scans the
 * first four for classes, and the server bundle holds all of them (`tasks/`
 * for the build that `serve` runs when the sources changed).
 */
const SOURCE_DIRS = ["islands", "components", "routes", "lib", "services", "db", "cli", "tasks"];
const SOURCE_FILES = ["client.ts", "main.ts", "runtime.ts", "static/styles.css", "deno.json"];

function walk(dir: string, out: string[]): void {
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch {
    return;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) walk(path, out);
    else if (/\.(tsx?|css)$/.test(entry.name)) out.push(path);
  }
}

/** The first 12 hex digits of the SHA-256 of `data`. */
export async function sha256(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest(
    "SHA-256",
    bytes as Uint8Array<ArrayBuffer>,
  );
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0"))
    .join("").slice(0, 12);
}

/**
 * Hashes the names, sizes and modification times of every source file the
 * assets depend on. Returns `null` when the sources are absent (a compiled binary).
 */
export async function sourceHash(root: string = ROOT): Promise<string | null> {
  try {
    Deno.statSync(join(root, "islands"));
  } catch {
    return null;
  }
  const parts: string[] = [];
  const files: string[] = SOURCE_FILES.map((f) => join(root, f));
  for (const dir of SOURCE_DIRS) walk(join(root, dir), files);
  for (const path of files) {
    try {
      const info = Deno.statSync(path);
      parts.push(
        `${relative(root, path)}:${info.size}:${info.mtime?.getTime()}`,
      );
    } catch {
      parts.push(`${relative(root, path)}:missing`);
    }
  }
  return await sha256(parts.join("\n"));
}

/** Whether `_build` or `_server` is missing or older than the sources (never, without sources). */
export async function isBuildStale(root: string = ROOT): Promise<boolean> {
  return (await stale(root)) === true;
}

/**
 * The server bundle's entry when it was built from the sources as they are
 * now; null when it is stale or missing, or when there are no sources (a
 * compiled binary, which carries its modules itself).
 *
 * @example
 * ```ts
 * const bundle = await freshBundle(); // ".../_server/mod.js" or null
 * ```
 */
export async function freshBundle(root: string = ROOT): Promise<string | null> {
  const bundle = root === ROOT ? SERVER_BUNDLE : join(root, "_server", "mod.js");
  return (await stale(root)) === false ? bundle : null;
}

/** Whether the build is stale; null when there are no sources to compare with. */
async function stale(root: string): Promise<boolean | null> {
  const current = await sourceHash(root);
  if (current === null) return null;
  try {
    const manifest = JSON.parse(
      await Deno.readTextFile(join(root, "_build", "manifest.json")),
    ) as { sourceHash?: string };
    return manifest.sourceHash !== current || !Deno.statSync(join(root, "_server", "mod.js")).isFile;
  } catch {
    return true;
  }
}
