/**
 * The manager's version, shown by `--version`, the System page and the API.
 * It comes from `deno.json`, the one place it is set.
 *
 * @module
 */
import denoJson from "../deno.json" with { type: "json" };

/** The version of this build of MLX Manager. */
export const VERSION: string = denoJson.version;
