/**
 * What the installed `mlx-openai-server` is: where it is, its version (from
 * `--version`) and the options of `launch` with their choice lists (parsed from
 * click's `launch --help`). Discovered once and cached.
 *
 * @module
 */
import { locateExecutable } from "../platform/executable.ts";
import type { CommandRunner } from "../platform/runner.ts";
import { parseServerVersion } from "../platform/version.ts";
import type { ServerFeatures } from "../../lib/server_features.ts";
import { serverFeatures } from "./server_flags.ts";

/** One option of `mlx-openai-server launch`. */
export interface LaunchOption {
  /** Whether it takes a value (`--port INTEGER`) or is a bare flag (`--no-log-file`). */
  takesValue: boolean;
  /** The allowed values of a click `Choice` (`--model-type [lm|multimodal]`), else null. */
  choices: string[] | null;
}

/** The installed server, or why it cannot be used. */
export interface ServerInfo {
  installed: boolean;
  /** The absolute path of the executable, when found. */
  executable: string | null;
  version: string | null;
  /** The options of `launch`, keyed by flag (`--model-path`). */
  options: Record<string, LaunchOption>;
  /** Why the server cannot be used (not found, or its help could not be read). */
  error: string | null;
}

/** How to install the server, appended to "not found" messages. */
export const INSTALL_HINT =
  "install it with `pip install mlx-openai-server` or `uv tool install mlx-openai-server`, or set MLX_MANAGER_MLX_SERVER to its path";

/** The model types of mlx-openai-server 1.5.1, used while the server is not installed. */
export const FALLBACK_MODEL_TYPES = [
  "lm",
  "multimodal",
  "image-generation",
  "image-edit",
  "embeddings",
  "whisper",
];

/** The parser lists of mlx-openai-server 1.5.1, offered while the server is not installed. */
export const FALLBACK_CHOICES = {
  "--tool-call-parser": [
    "functiongemma",
    "glm4_moe",
    "harmony",
    "hermes",
    "iquest_coder_v1",
    "minimax_m2",
    "nemotron3_nano",
    "qwen3",
    "qwen3_coder",
    "qwen3_moe",
    "qwen3_vl",
    "solar_open",
  ],
  "--reasoning-parser": [
    "glm47_flash",
    "glm4_moe",
    "harmony",
    "hermes",
    "minimax_m2",
    "nemotron3_nano",
    "qwen3",
    "qwen3_moe",
    "qwen3_vl",
    "solar_open",
  ],
  "--message-converter": ["glm4_moe", "minimax", "minimax_m2", "nemotron3_nano", "qwen3_coder"],
  "--model-type": FALLBACK_MODEL_TYPES,
  "--log-level": ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"],
} as const;

// An option line of click's help: two-space indent, optional short alias, the
// long flag, then a metavar (`TEXT`, `INTEGER`, `[a|b|c]`) separated by one space.
const OPTION_LINE =
  /^ {1,6}(?:-[A-Za-z], )?(--[a-z0-9][a-z0-9-]*)(?: \/ --[a-z0-9-]+)?(?:[ =](\[[^\]\s]*\]|[A-Z][A-Z_]*(?: RANGE)?))?(?:\s|$)/;

/**
 * Parses the option list of click's `launch --help`.
 *
 * @example
 * ```ts
 * parseLaunchHelp("Options:\n  --model-type [lm|multimodal]  Type\n  --no-log-file  Off\n");
 * // { "--model-type": { takesValue: true, choices: ["lm", "multimodal"] },
 * //   "--no-log-file": { takesValue: false, choices: null } }
 * ```
 */
export function parseLaunchHelp(text: string): Record<string, LaunchOption> {
  const options: Record<string, LaunchOption> = {};
  for (const line of text.split("\n")) {
    const match = line.match(OPTION_LINE);
    if (!match || match[1] === "--help") continue;
    const metavar = match[2];
    const choices = metavar?.startsWith("[") ? metavar.slice(1, -1).split("|").filter(Boolean) : null;
    options[match[1]] = { takesValue: metavar !== undefined, choices };
  }
  return options;
}

/** Options of {@link ServerInfoSource}. */
export interface ServerInfoSourceOptions {
  /** `MLX_MANAGER_MLX_SERVER`: a name looked up on PATH, or a path. */
  executable: string;
  /** The home folder, for the `~/.local/bin` fallback (where `uv tool install` puts it). */
  home: string;
  /** The `PATH` the name is looked up on. */
  path: string;
  /** Runs `--version` and `launch --help`. */
  runner: CommandRunner;
  /** Seconds `--version` and `--help` may take (the real server imports MLX first). @default 120 */
  timeoutSeconds?: number;
  /** How long a "not installed" answer is kept before asking again. @default 10000 */
  retryMs?: number;
}

function tail(text: string, lines = 5): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

/**
 * Discovers the installed server once and caches it; a missing server is
 * asked about again after a few seconds, so installing it needs no restart.
 *
 * @example
 * ```ts
 * const source = new ServerInfoSource({ executable: "mlx-openai-server", home: "/Users/ada", path, runner });
 * const info = await source.get();
 * info.version; // "1.5.1"
 * ```
 */
export class ServerInfoSource {
  readonly #options: Required<ServerInfoSourceOptions>;
  #cached: Promise<ServerInfo> | null = null;
  #latest: ServerInfo | null = null;
  #failedAt = 0;

  constructor(options: ServerInfoSourceOptions) {
    this.#options = { timeoutSeconds: 120, retryMs: 10_000, ...options };
  }

  /** The server's description; discovered on first use. */
  get(): Promise<ServerInfo> {
    const stale = this.#failedAt > 0 && Date.now() - this.#failedAt > this.#options.retryMs;
    if (!this.#cached || stale) {
      this.#failedAt = 0;
      this.#cached = this.#discover().then((info) => {
        if (!info.installed) this.#failedAt = Date.now();
        this.#latest = info;
        return info;
      });
    }
    return this.#cached;
  }

  /** The last description discovered, or null before the first: a query that asks nothing. */
  get latest(): ServerInfo | null {
    return this.#latest;
  }

  async #discover(): Promise<ServerInfo> {
    const { executable: name, home, path, runner, timeoutSeconds } = this.#options;
    const none = { installed: false, executable: null, version: null, options: {} };
    const executable = await locateExecutable(name, { path, home });
    if (!executable) {
      return { ...none, error: `mlx-openai-server was not found (looked for "${name}"): ${INSTALL_HINT}` };
    }
    try {
      const timeoutMs = timeoutSeconds * 1000;
      const version = await runner.run(executable, ["--version"], { timeoutMs });
      const help = await runner.run(executable, ["launch", "--help"], { timeoutMs });
      const options = parseLaunchHelp(help.stdout);
      if (help.code !== 0 || !options["--model-path"]) {
        return {
          ...none,
          executable,
          error: `Cannot read the options of "${executable} launch --help": ${
            tail(help.stderr || help.stdout) || `exit code ${help.code}`
          }`,
        };
      }
      return {
        installed: true,
        executable,
        version: parseServerVersion(`${version.stdout}\n${version.stderr}`),
        options,
        error: null,
      };
    } catch (error) {
      return { ...none, executable, error: `Cannot run ${executable}: ${(error as Error).message}` };
    }
  }
}

/** The choice lists the profile form and validation offer. */
export interface ParserOptions {
  tool_call_parsers: string[];
  reasoning_parsers: string[];
  message_converters: string[];
  model_types: string[];
  log_levels: string[];
  /** Where the lists come from: the installed server, or the 1.5.1 defaults when it is missing. */
  source: "installed" | "fallback";
  version: string | null;
  installed: boolean;
  error: string | null;
  /** What the installed server can do: the fields it takes, how it serves requests at once. */
  features: ServerFeatures;
}

/**
 * The choice lists of `info` (each sorted), or the 1.5.1 lists when the server
 * is not installed. A flag the installed version lacks gives an empty list.
 *
 * @example
 * ```ts
 * parserOptions(info).tool_call_parsers; // ["functiongemma", "glm4_moe", …]
 * ```
 */
export function parserOptions(info: ServerInfo): ParserOptions {
  const list = (flag: keyof typeof FALLBACK_CHOICES, sort = true): string[] => {
    const values = info.installed ? info.options[flag]?.choices ?? [] : [...FALLBACK_CHOICES[flag]];
    return sort ? [...values].sort() : [...values];
  };
  return {
    tool_call_parsers: list("--tool-call-parser"),
    reasoning_parsers: list("--reasoning-parser"),
    message_converters: list("--message-converter"),
    model_types: list("--model-type", false),
    log_levels: info.installed && !info.options["--log-level"]
      ? ["INFO"]
      : list("--log-level", false).map((l) => l.toUpperCase()),
    source: info.installed ? "installed" : "fallback",
    version: info.version,
    installed: info.installed,
    error: info.error,
    features: serverFeatures(info),
  };
}
