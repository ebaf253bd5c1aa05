/**
 * Where the app's files live and how built assets are served.
 *
 * Every path derives from this module's location, never from the working
 * directory, so a start from another folder and a compiled binary (which
 * mounts `_build` and `static` beside the original sources) both work.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { serveStatic } from "hono/deno";
import type { IslandAssets } from "./islands/server.tsx";
import { BUILD_DIR, MANIFEST_PATH, STATIC_DIR } from "./paths.ts";

export { BUILD_DIR, MANIFEST_PATH, ROOT, STATIC_DIR } from "./paths.ts";

/** What the build wrote: URLs of every asset, with a content-derived build id. */
export interface Manifest {
  /** Hash of every output file; changes whenever any asset changes. */
  buildId: string;
  /** Hash of the sources the build read; decides whether a rebuild is needed. */
  sourceHash: string;
  /** URL of the stylesheet. */
  css: string;
  /** URLs of the boot script and the island modules. */
  assets: IslandAssets;
}

/**
 * Reads the build manifest, or throws a clear error when the app was not built.
 *
 * @example
 * ```ts
 * const manifest = await readManifest();
 * manifest.assets.client; // "/_build/js/client.js?v=3f2a…"
 * ```
 */
export async function readManifest(
  path: string = MANIFEST_PATH,
): Promise<Manifest> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as Manifest;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(
        `Cannot find the built assets at ${path}: run "deno task build"`,
      );
    }
    throw error;
  }
}

/** Options of {@link serveAssets}. */
export interface ServeAssetsOptions {
  /** Folder served at `/_build`. @default BUILD_DIR */
  buildDir?: string;
  /** Folder served at `/static`. @default STATIC_DIR */
  staticDir?: string;
  /** Disable caching (development). @default false */
  dev?: boolean;
}

/**
 * Serves `/_build/*` and `/static/*` from absolute folders, with precompressed
 * variants. Versioned and content-hashed files are cached for a year.
 */
export function serveAssets(
  options: ServeAssetsOptions = {},
): MiddlewareHandler {
  const { buildDir = BUILD_DIR, staticDir = STATIC_DIR, dev = false } = options;
  const build = serveStatic({
    root: buildDir,
    precompressed: true,
    rewriteRequestPath: (path) => path.slice("/_build".length),
  });
  const files = serveStatic({
    root: staticDir,
    rewriteRequestPath: (path) => path.slice("/static".length),
  });
  return async function assets(c, next) {
    const path = c.req.path;
    const isBuild = path.startsWith("/_build/");
    if (!isBuild && !path.startsWith("/static/")) return next();
    const immutable = !dev &&
      (c.req.query("v") !== undefined || /\/chunk-[\w-]+\.js$/.test(path));
    c.header(
      "Cache-Control",
      dev ? "no-store" : immutable ? "public, max-age=31536000, immutable" : "no-cache",
    );
    const found = await (isBuild ? build : files)(c, async () => {});
    if (found) return found;
    c.header("Cache-Control", undefined);
    return next();
  };
}
