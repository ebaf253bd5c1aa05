/**
 * Runs `main.ts` as a real subprocess, the way a user or a script runs
 * `mlx-manager`, with its own HOME and data dir.
 *
 * @module
 */
import { join } from "node:path";
import { ROOT } from "../../lib/paths.ts";

/** What a CLI run printed and how it exited. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@link cli}. */
export interface CliOptions {
  /** Environment variables on top of HOME, MLX_MANAGER_DATA_DIR and PATH. */
  env?: Record<string, string>;
  /** Text piped to standard input. */
  stdin?: string;
  /** The home and data dir. */
  home: string;
}

let denoDir: string | null = null;

/** Deno's cache folder: kept across the changed HOME, so runs do not download packages again. */
function cacheDir(): string {
  if (denoDir) return denoDir;
  const output = new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stderr: "null" }).outputSync();
  denoDir = JSON.parse(new TextDecoder().decode(output.stdout)).denoDir as string;
  return denoDir;
}

/** The environment of a CLI run. */
export function cliEnv(home: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    DENO_DIR: cacheDir(),
    HOME: home,
    MLX_MANAGER_DATA_DIR: home,
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    NO_COLOR: "1",
    ...env,
  };
}

/** The arguments that start `main.ts` with Deno. */
export function mainArgs(...args: string[]): string[] {
  return ["run", "-A", "--config", join(ROOT, "deno.json"), join(ROOT, "main.ts"), ...args];
}

/**
 * Runs `mlx-manager <args>` and collects its output.
 *
 * @example
 * ```ts
 * const { code, stdout } = await cli(["--version"], { home });
 * ```
 */
export async function cli(args: string[], options: CliOptions): Promise<CliResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: mainArgs(...args),
    env: cliEnv(options.home, options.env),
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  if (options.stdin !== undefined) await writer.write(new TextEncoder().encode(options.stdin));
  await writer.close();
  const output = await child.output();
  const decoder = new TextDecoder();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}
