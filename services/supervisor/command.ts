/**
 * The command line of `mlx-openai-server launch` for a profile, built only
 * from options the installed version has. A profile setting the installed
 * version cannot honour is refused, never silently dropped.
 *
 * @module
 */
import type { Profile } from "../../db/profiles.ts";
import { AppError } from "../../lib/errors.ts";
import { PROMPT_CONCURRENCY_CAP } from "../../lib/server_features.ts";
import { INSTALL_HINT, type ServerInfo } from "./server_info.ts";
import { capacity, FLAG_RULES, refusals, SERVER_QUEUE_TIMEOUT, serverFeatures } from "./server_flags.ts";

/** A process to start: the launchd plist uses the same. */
export interface LaunchCommand {
  executable: string;
  args: string[];
  /** Variables to add to the inherited environment. */
  env: Record<string, string>;
}

/** Options of {@link buildLaunchCommand}: the Hugging Face settings the server should share. */
export interface LaunchEnvOptions {
  hfHome?: string;
  hfHubCache?: string;
  /** Sets `HF_HUB_OFFLINE=1`, so an uncached repo id fails at once instead of downloading. */
  offline?: boolean;
  /** The profile's own prompt-cache folder, passed where the version keeps the cache on disk (1.8). */
  promptCacheDir?: string;
}

/**
 * The name a profile's server is started under (`--served-model-name`):
 * stable while the profile lives, whatever it is renamed to.
 *
 * @example
 * ```ts
 * servedModelName(3); // "profile-3"
 * ```
 */
export function servedModelName(profileId: number): string {
  return `profile-${profileId}`;
}

/** The `--served-model-name` a command line passes, or null (the version has none). */
export function servedNameOf(args: readonly string[]): string | null {
  const i = args.indexOf("--served-model-name");
  return i >= 0 ? args[i + 1] ?? null : null;
}

/**
 * The flags that make the server serve `max_concurrency` requests at once:
 * `--max-concurrency N` where it exists (1.5); on 1.8, `--disable-batching`
 * for 1 (1.8.1; 1.8.0 batches one at a time) and `--decode-concurrency N
 * --prompt-concurrency min(N, 8)` above, for the types it batches.
 */
function concurrencyArgs(profile: Profile, info: ServerInfo): string[] {
  const n = profile.max_concurrency ?? 1;
  const has = (flag: string) => info.options[flag] !== undefined;
  if (serverFeatures(info).concurrency !== "batching") {
    return has("--max-concurrency") ? ["--max-concurrency", String(n)] : [];
  }
  if (profile.model_type !== "lm" && profile.model_type !== "multimodal") return [];
  if (n === 1 && has("--disable-batching")) return ["--disable-batching"];
  if (capacity(profile, info) === 1 && profile.model_type !== "lm") return [];
  const prompt = Math.min(n, PROMPT_CONCURRENCY_CAP);
  return ["--decode-concurrency", String(n), "--prompt-concurrency", String(prompt)];
}

/**
 * Builds the launch command for `profile` against the installed server.
 *
 * Always adds `--no-log-file` (the manager keeps the log) when the version has
 * it, and `PYTHONUNBUFFERED=1` so log lines arrive as they are written.
 *
 * @throws {AppError} `conflict` (`server_not_installed`) when the server is missing;
 *   `conflict` (`unsupported_option`) (with a message per field) when a set field has
 *   no flag in this version or a value outside the version's choices.
 *
 * @example
 * ```ts
 * const { executable, args } = buildLaunchCommand(profile, await serverInfo.get());
 * // args: ["launch", "--model-path", "mlx-community/Qwen3-8B-4bit", "--model-type", "lm", "--host", "127.0.0.1", …]
 * ```
 */
export function buildLaunchCommand(
  profile: Profile,
  info: ServerInfo,
  options: LaunchEnvOptions = {},
): LaunchCommand {
  if (!info.installed || !info.executable) {
    throw new AppError("conflict", info.error ?? `mlx-openai-server is not installed: ${INSTALL_HINT}`, {
      reason: "server_not_installed",
    });
  }
  const refused = refusals(profile, info);
  if (Object.keys(refused).length > 0) {
    throw new AppError("conflict", Object.values(refused).join("; "), {
      fields: refused,
      reason: "unsupported_option",
    });
  }
  const args = ["launch"];
  const has = (flag: string) => info.options[flag] !== undefined;
  for (const rule of FLAG_RULES) {
    const value = profile[rule.field];
    if (value === null || value === undefined || value === false || value === "") continue;
    if (Array.isArray(value) && value.length === 0) continue;
    const option = info.options[rule.flag];
    // Refusals let through only what needs no flag: the server's default, or a value filled into requests.
    if (!option) continue;
    if (!option.takesValue) args.push(rule.flag);
    else args.push(rule.flag, Array.isArray(value) ? value.join(",") : String(value));
  }
  if (has("--served-model-name")) args.push("--served-model-name", servedModelName(profile.id));
  args.push(...concurrencyArgs(profile, info));
  if (has("--queue-timeout")) args.push("--queue-timeout", String(SERVER_QUEUE_TIMEOUT));
  if (has("--queue-size")) {
    args.push("--queue-size", String(Math.max(profile.queue_size ?? 100, profile.max_concurrency ?? 1)));
  }
  if (options.promptCacheDir && has("--prompt-cache-dir") && profile.model_type === "lm") {
    args.push("--prompt-cache-dir", options.promptCacheDir);
  }
  if (info.options["--no-log-file"]) args.push("--no-log-file");

  const env: Record<string, string> = { PYTHONUNBUFFERED: "1" };
  if (options.hfHome) env.HF_HOME = options.hfHome;
  if (options.hfHubCache) env.HF_HUB_CACHE = options.hfHubCache;
  if (options.offline) env.HF_HUB_OFFLINE = "1";
  return { executable: info.executable, args, env };
}
