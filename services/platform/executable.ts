/**
 * Finding an executable the way a shell does, but keeping the path stable
 * across upgrades: a Homebrew install is reached through
 * `/opt/homebrew/bin/x` (a symlink), never through the versioned
 * `/opt/homebrew/Cellar/x/1.5.1/bin/x` it points to, which disappears on
 * `brew upgrade` and would break a launchd job.
 *
 * @module
 */
import { basename, delimiter, isAbsolute, join, resolve } from "node:path";

const CELLAR = /^(.*)\/Cellar\/([^/]+)\/[^/]+\/(.+)$/;

/** Whether a path points into a versioned Homebrew Cellar folder. */
export function isVersionedPath(path: string): boolean {
  return CELLAR.test(path);
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const info = await Deno.stat(path);
    return info.isFile && (info.mode === null || (info.mode & 0o111) !== 0);
  } catch {
    return false;
  }
}

async function realPath(path: string): Promise<string | null> {
  try {
    return await Deno.realPath(path);
  } catch {
    return null;
  }
}

/**
 * The unversioned path of a file in a Homebrew Cellar: `<prefix>/bin/<name>`
 * or `<prefix>/opt/<formula>/<rest>` when either reaches the same formula;
 * the path itself otherwise.
 */
export async function stablePath(path: string): Promise<string> {
  const match = path.match(CELLAR);
  if (!match) return path;
  const [, prefix, formula, rest] = match;
  const target = await realPath(path);
  for (const candidate of [join(prefix, "bin", basename(path)), join(prefix, "opt", formula, rest)]) {
    if (!await isExecutableFile(candidate)) continue;
    const real = await realPath(candidate);
    if (real !== null && (real === target || real.includes(`/Cellar/${formula}/`))) return candidate;
  }
  return path;
}

/**
 * Resolves `command` to an absolute, upgrade-stable path: a path containing
 * `/` is made absolute; a bare name is looked up in `pathList` (the `PATH`
 * value), preferring entries outside versioned Cellar folders. Symlinks are
 * not followed. Returns null when nothing executable is found.
 *
 * @example
 * ```ts
 * await resolveExecutable("mlx-openai-server", "/opt/homebrew/bin:/usr/bin");
 * // "/opt/homebrew/bin/mlx-openai-server"
 * ```
 */
export async function resolveExecutable(
  command: string,
  pathList: string,
  cwd: string = Deno.cwd(),
): Promise<string | null> {
  if (command.includes("/")) {
    const path = isAbsolute(command) ? command : resolve(cwd, command);
    return await isExecutableFile(path) ? await stablePath(path) : null;
  }
  const found: string[] = [];
  for (const dir of pathList.split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, command);
    if (!await isExecutableFile(candidate)) continue;
    if (!isVersionedPath(candidate)) return candidate;
    found.push(candidate);
  }
  return found.length ? await stablePath(found[0]) : null;
}

/** Where {@link locateExecutable} looks. */
export interface LocateOptions {
  /** The `PATH` value. */
  path: string;
  /** The home folder, for the `~/.local/bin` fallback (where `uv tool install` puts scripts). */
  home: string;
  /** Base of a relative path. @default Deno.cwd() */
  cwd?: string;
}

/**
 * The one executable locator: {@link resolveExecutable} on `PATH`, then
 * `~/.local/bin`, which a GUI-started manager often lacks on its `PATH`.
 *
 * @example
 * ```ts
 * await locateExecutable("mlx-openai-server", { path: "/usr/bin", home: "/Users/ada" });
 * // "/Users/ada/.local/bin/mlx-openai-server" when only uv installed it
 * ```
 */
export async function locateExecutable(command: string, options: LocateOptions): Promise<string | null> {
  const found = await resolveExecutable(command, options.path, options.cwd);
  if (found || command.includes("/")) return found;
  const local = join(options.home, ".local", "bin", command);
  return await isExecutableFile(local) ? local : null;
}
