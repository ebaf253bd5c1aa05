/**
 * The build manifest: what the build wrote into `_build/` (every asset's URL
 * and a content-derived build id), read by the server when it starts.
 *
 * @module
 */
import type { IslandAssets } from "./islands/server.tsx";
import { MANIFEST_PATH } from "./paths.ts";

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
