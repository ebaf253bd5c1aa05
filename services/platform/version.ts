/**
 * Reading the version of `mlx-openai-server` from its `--version` banner: the
 * one parser the supervisor's discovery and the system information share.
 *
 * @module
 */

/** The banner ends with "🚀 Version: 1.5.1". */
const VERSION_PATTERN = /Version:\s*([0-9][0-9.]*[0-9]|[0-9])/;

/**
 * The version in `--version` output, or null.
 *
 * @example
 * ```ts
 * parseServerVersion("✨ MLX Server ✨\n🚀 Version: 1.5.1\n"); // "1.5.1"
 * parseServerVersion("Version:1.7.0."); // "1.7.0"
 * ```
 */
export function parseServerVersion(text: string): string | null {
  return text.match(VERSION_PATTERN)?.[1] ?? null;
}
