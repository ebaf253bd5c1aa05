/**
 * Serves the built assets and the static files.
 *
 * Every folder derives from `lib/paths.ts`, never from the working directory,
 * so a start from another folder and a compiled binary (which mounts `_build`
 * and `static` beside the original sources) both work.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { serveStatic } from "hono/deno";
import { BUILD_DIR, STATIC_DIR } from "../../lib/paths.ts";

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
 *
 * @example
 * ```ts
 * app.use(serveAssets({ dev: config.dev }));
 * ```
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
  return async function serveAssets(c, next) {
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
