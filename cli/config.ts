/**
 * The configuration a command runs with: the environment, with command-line
 * options layered on top. The URL of the manager it describes is
 * `serverUrl(config.host, config.port)` (`services/platform/dial.ts`).
 *
 * @module
 */
import { type Config, ConfigError, loadConfig } from "../lib/config.ts";
import { CliError, EXIT } from "./io.ts";

/**
 * Loads the configuration with `overrides` (variable → value) applied; a bad
 * value is a usage error naming the variable.
 *
 * @example
 * ```ts
 * const config = commandConfig({ MLX_MANAGER_PORT: "9000" });
 * ```
 */
export function commandConfig(overrides: Record<string, string | undefined> = {}): Config {
  const env: Record<string, string | undefined> = Deno.env.toObject();
  for (const [name, value] of Object.entries(overrides)) if (value !== undefined) env[name] = value;
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
}

/** Checks a `--url` value and drops a trailing slash. */
export function parseUrl(value: string, command: string): string {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new CliError(
      `"${value}" is not an http(s) URL\nRun "mlx-manager ${command} --help" for usage`,
      EXIT.usage,
    );
  }
  return value.replace(/\/+$/, "");
}
