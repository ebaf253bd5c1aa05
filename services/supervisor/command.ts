/**
 * The command line of `mlx-openai-server launch` for a profile, built only
 * from options the installed version has. A profile setting the installed
 * version cannot honour is refused, never silently dropped.
 *
 * @module
 */
import type { Profile } from "../../db/profiles.ts";
import { AppError } from "../../lib/errors.ts";
import { INSTALL_HINT, type ServerInfo } from "./server_info.ts";

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
}

type Field = keyof Profile;

interface Rule {
  field: Field;
  flag: string;
  /** Field label for messages. */
  label: string;
  /**
   * The server's own default: a value equal to it may be left out when the
   * installed version lacks the flag, because that is what the server does anyway.
   */
  serverDefault?: string | number;
  /** Always passed (the server cannot run without it). */
  required?: boolean;
}

/** Every profile field the server receives, in command-line order. */
const RULES: Rule[] = [
  { field: "model_path", flag: "--model-path", label: "Model path", required: true },
  { field: "model_type", flag: "--model-type", label: "Model type", serverDefault: "lm" },
  { field: "host", flag: "--host", label: "Host", required: true },
  { field: "port", flag: "--port", label: "Port", required: true },
  { field: "context_length", flag: "--context-length", label: "Context length" },
  { field: "max_concurrency", flag: "--max-concurrency", label: "Max concurrency", serverDefault: 1 },
  { field: "queue_timeout", flag: "--queue-timeout", label: "Queue timeout", serverDefault: 300 },
  { field: "queue_size", flag: "--queue-size", label: "Queue size", serverDefault: 100 },
  { field: "tool_call_parser", flag: "--tool-call-parser", label: "Tool call parser" },
  { field: "reasoning_parser", flag: "--reasoning-parser", label: "Reasoning parser" },
  { field: "message_converter", flag: "--message-converter", label: "Message converter" },
  { field: "enable_auto_tool_choice", flag: "--enable-auto-tool-choice", label: "Auto tool choice" },
  { field: "trust_remote_code", flag: "--trust-remote-code", label: "Trust remote code" },
  { field: "chat_template_file", flag: "--chat-template-file", label: "Chat template file" },
  { field: "log_level", flag: "--log-level", label: "Log level", serverDefault: "INFO" },
];

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
  const version = `mlx-openai-server ${info.version ?? "(unknown version)"}`;
  const args = ["launch"];
  const refused: Record<string, string> = {};
  for (const rule of RULES) {
    const value = profile[rule.field];
    if (value === null || value === undefined || value === false || value === "") continue;
    const option = info.options[rule.flag];
    if (!option) {
      if (rule.serverDefault !== undefined && value === rule.serverDefault) continue;
      refused[rule.field] = rule.serverDefault !== undefined
        ? `The installed ${version} has no ${rule.flag} option: set ${rule.label} to ${rule.serverDefault} or install a version that has it`
        : `The installed ${version} has no ${rule.flag} option: clear ${rule.label} or install a version that has it`;
      continue;
    }
    if (!option.takesValue) {
      args.push(rule.flag);
      continue;
    }
    const text = String(value);
    if (option.choices) {
      const allowed = rule.flag === "--log-level"
        ? option.choices.map((c) => c.toUpperCase()).includes(text.toUpperCase())
        : option.choices.includes(text);
      if (!allowed) {
        refused[rule.field] =
          `The installed ${version} does not accept ${rule.label} "${text}": choose one of ${
            option.choices.join(", ")
          }`;
        continue;
      }
    }
    args.push(rule.flag, text);
  }
  if (Object.keys(refused).length > 0) {
    throw new AppError("conflict", Object.values(refused).join("; "), {
      fields: refused,
      reason: "unsupported_option",
    });
  }
  if (info.options["--no-log-file"]) args.push("--no-log-file");

  const env: Record<string, string> = { PYTHONUNBUFFERED: "1" };
  if (options.hfHome) env.HF_HOME = options.hfHome;
  if (options.hfHubCache) env.HF_HUB_CACHE = options.hfHubCache;
  if (options.offline) env.HF_HUB_OFFLINE = "1";
  return { executable: info.executable, args, env };
}
