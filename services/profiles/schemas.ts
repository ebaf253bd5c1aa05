/**
 * Input schemas of the profiles API, built from the installed server's choice
 * lists and validated once at the boundary. No field can carry extra
 * command-line arguments: values that start with `-` or hold control
 * characters are refused.
 *
 * @module
 */
import { z } from "zod";
import type { ParserOptions } from "../supervisor/server_info.ts";

/** The defaults of a new profile (the server's own defaults). */
export const PROFILE_DEFAULTS = {
  description: null,
  model_type: "lm",
  host: "127.0.0.1",
  context_length: null,
  max_concurrency: 1,
  queue_timeout: 300,
  queue_size: 100,
  tool_call_parser: null,
  reasoning_parser: null,
  message_converter: null,
  enable_auto_tool_choice: false,
  trust_remote_code: false,
  chat_template_file: null,
  log_level: "INFO",
  auto_start: false,
  restart_on_crash: false,
  system_prompt: null,
  aliases: [] as string[],
  idle_timeout: null,
  keep_loaded: false,
} as const;

/** The most aliases one profile may have. */
export const MAX_ALIASES = 20;

// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;
const REPO_ID = /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/;
const IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Whether `host` is `localhost`, an IPv4 or an IPv6 address. */
export function isHost(host: string): boolean {
  if (host === "localhost" || IPV4.test(host)) return true;
  return host.includes(":") && /^[0-9a-fA-F:.]+$/.test(host) && URL.canParse(`http://[${host}]/`);
}

/** Empty or blank text means "not set". */
function blankToNull(value: unknown): unknown {
  return typeof value === "string" && value.trim() === "" ? null : value;
}

function text(label: string, max: number) {
  return z.string({ error: `${label} must be text` })
    .trim()
    .max(max, `${label} must be at most ${max} characters`);
}

function whole(label: string, min: number, max: number) {
  const message = `${label} must be a whole number from ${min} to ${max}`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
}

function choice(label: string, values: readonly string[], version: string | null) {
  const from = version ? ` (mlx-openai-server ${version})` : "";
  return z.string({ error: `${label} must be text` }).refine(
    (v) => values.includes(v),
    values.length
      ? `${label} must be one of: ${values.join(", ")}${from}`
      : `The installed server${from} has no ${label.toLowerCase()} option: leave it empty`,
  );
}

function nullable<T extends z.ZodType>(schema: T) {
  return z.preprocess(blankToNull, schema.nullable());
}

const absolutePath = (label: string) =>
  text(label, 1024)
    .refine((v) => !CONTROL.test(v), `${label} must not contain control characters`)
    .refine((v) => v.startsWith("/"), `${label} must be an absolute path (starting with /)`);

/** The field schemas for the given choice lists. */
function fields(options: ParserOptions) {
  const bool = (label: string) => z.boolean({ error: `${label} must be true or false` });
  return {
    name: text("Name", 100).min(1, "Name is required").refine(
      (v) => !CONTROL.test(v),
      "Name must not contain control characters",
    ),
    description: nullable(text("Description", 2000)),
    model_path: text("Model path", 1024)
      .min(1, "Model path is required")
      .refine(
        (v) => !CONTROL.test(v) && !v.startsWith("-") && (v.startsWith("/") || REPO_ID.test(v)),
        "Enter a Hugging Face repo id (org/name) or an absolute path to a model folder",
      ),
    model_type: choice("Model type", options.model_types, options.version),
    port: whole("Port", 1024, 65535),
    host: text("Host", 64).refine(isHost, "Host must be an IP address or localhost"),
    context_length: nullable(whole("Context length", 1, 10_000_000)),
    max_concurrency: whole("Max concurrency", 1, 1024),
    queue_timeout: whole("Queue timeout", 1, 86_400),
    queue_size: whole("Queue size", 1, 100_000),
    tool_call_parser: nullable(choice("Tool call parser", options.tool_call_parsers, options.version)),
    reasoning_parser: nullable(choice("Reasoning parser", options.reasoning_parsers, options.version)),
    message_converter: nullable(choice("Message converter", options.message_converters, options.version)),
    enable_auto_tool_choice: bool("Auto tool choice"),
    trust_remote_code: bool("Trust remote code"),
    chat_template_file: nullable(absolutePath("Chat template file")),
    log_level: z.preprocess(
      (v) => typeof v === "string" ? v.trim().toUpperCase() : v,
      choice("Log level", options.log_levels, options.version),
    ),
    auto_start: bool("Auto start"),
    restart_on_crash: bool("Restart on crash"),
    system_prompt: nullable(
      z.string({ error: "System prompt must be text" }).max(
        100_000,
        "System prompt must be at most 100000 characters",
      ),
    ),
    aliases: z.array(
      text("Alias", 100).min(1, "An alias must not be empty").refine(
        (v) => !CONTROL.test(v),
        "An alias must not contain control characters",
      ),
      { error: "Aliases must be a list of names" },
    ).max(MAX_ALIASES, `At most ${MAX_ALIASES} aliases`),
    idle_timeout: nullable(whole("Idle timeout", 0, 30 * 86_400)),
    keep_loaded: bool("Keep loaded"),
  };
}

const strict = {
  error: (issue: { code?: string; keys?: string[] }) =>
    issue.code === "unrecognized_keys" ? `Unknown field: ${issue.keys!.join(", ")}` : undefined,
};

/**
 * The create and update schemas for the installed server's choices.
 *
 * @example
 * ```ts
 * const { create } = profileSchemas(parserOptions(await serverInfo.get()));
 * const input = parseWith(create, { name: "Qwen3", model_path: "mlx-community/Qwen3-8B-4bit", port: 10240 });
 * input.max_concurrency; // 1
 * ```
 */
export function profileSchemas(options: ParserOptions) {
  const f = fields(options);
  const withDefaults = Object.fromEntries(
    Object.entries(f).map(([key, schema]) => {
      const fallback = (PROFILE_DEFAULTS as Record<string, unknown>)[key];
      return [
        key,
        fallback === undefined ? schema : (schema as z.ZodType).optional().transform((v) => v ?? fallback),
      ];
    }),
  ) as unknown as typeof f;
  const create = z.strictObject(withDefaults, strict);
  const update = z.strictObject(f, strict).partial();
  return { create, update };
}

/** A validated new profile. */
export type ProfileCreate = z.output<ReturnType<typeof profileSchemas>["create"]>;
/** A validated change to a profile. */
export type ProfileUpdate = z.output<ReturnType<typeof profileSchemas>["update"]>;
