/**
 * Where the app's files live. Every path derives from this module's location,
 * never from the working directory, so a start from another folder, the
 * server bundle and a compiled binary all find `static/` and `_build/`.
 *
 * This module imports nothing heavy: the start task and the build read it.
 *
 * @module
 */
import { dirname, join } from "node:path";

/**
 * The folder holding `static/` (and `_build/`), found upward from this module:
 * it is `lib/..` when run from source, `_server/..` when run from the server
 * bundle, and the same layout inside a compiled binary.
 */
function findRoot(start: string): string {
  for (let dir = start; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      if (Deno.statSync(join(dir, "static")).isDirectory) return dir;
    } catch { /* keep looking upward */ }
  }
  return start;
}

/** The project root: the folder holding `main.ts`, `static/` and `_build/`. */
export const ROOT: string = findRoot(dirname(import.meta.dirname!));
/** Generated bundles, CSS and manifest. */
export const BUILD_DIR: string = join(ROOT, "_build");
/** Files served as they are: favicon, images. */
export const STATIC_DIR: string = join(ROOT, "static");
/** The manifest written by the build. */
export const MANIFEST_PATH: string = join(BUILD_DIR, "manifest.json");
/** The server bundle, which `deno task start` runs (see `tasks/start.ts`); never served. */
export const SERVER_DIR: string = join(ROOT, "_server");
/** The server bundle's entry: it exports `runCli`. */
export const SERVER_BUNDLE: string = join(SERVER_DIR, "mod.js");
/** Whether this code runs from the server bundle rather than from source. */
export const RUNNING_FROM_BUNDLE: boolean = /[\\/]_server[\\/][^\\/]+\.js$/.test(import.meta.url);
