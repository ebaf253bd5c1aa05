/**
 * The starting values of the profile form: a profile's own, or the defaults
 * plus what a link passes (`/profiles/new?model_path=…&tool_call_parser=…`),
 * keeping only values the installed server accepts.
 *
 * @module
 */
import type { Profile } from "../../db/profiles.ts";
import { PROFILE_DEFAULTS } from "../../services/profiles/schemas.ts";
import type { ParserOptions } from "../../services/supervisor/server_info.ts";
import type { ProfileFormValues } from "../../islands/ProfileForm.tsx";

/** The form values of an existing profile. */
export function profileValues(p: Profile): ProfileFormValues {
  const text = (v: string | number | null) => v === null ? "" : String(v);
  return {
    name: p.name,
    description: text(p.description),
    model_path: p.model_path,
    model_type: p.model_type,
    port: String(p.port),
    host: p.host,
    context_length: text(p.context_length),
    max_concurrency: String(p.max_concurrency),
    queue_timeout: String(p.queue_timeout),
    queue_size: String(p.queue_size),
    tool_call_parser: text(p.tool_call_parser),
    reasoning_parser: text(p.reasoning_parser),
    message_converter: text(p.message_converter),
    enable_auto_tool_choice: p.enable_auto_tool_choice,
    trust_remote_code: p.trust_remote_code,
    chat_template_file: text(p.chat_template_file),
    log_level: p.log_level,
    auto_start: p.auto_start,
    restart_on_crash: p.restart_on_crash,
    system_prompt: text(p.system_prompt),
    aliases: p.aliases.join(", "),
    idle_timeout: text(p.idle_timeout),
    keep_loaded: p.keep_loaded,
  };
}

/** A readable default name from a model: the last part of a repo id or folder. */
export function nameFromModel(modelPath: string): string {
  return modelPath.replace(/\/+$/, "").split("/").pop()?.slice(0, 100) ?? "";
}

const CHOICES = [
  ["model_type", "model_types", "model type"],
  ["tool_call_parser", "tool_call_parsers", "tool call parser"],
  ["reasoning_parser", "reasoning_parsers", "reasoning parser"],
  ["message_converter", "message_converters", "message converter"],
] as const;

/**
 * The values of a new profile: defaults, the next free port, then the query's
 * `name`, `model_path` (or `model`), `model_type` and parser choices. A choice
 * the installed server lacks is left out with a notice.
 *
 * @example
 * ```ts
 * const { values } = newProfileValues(new URLSearchParams("model_path=mlx-community/Qwen3-8B-4bit"), options, 10240);
 * values.name; // "Qwen3-8B-4bit"
 * ```
 */
export function newProfileValues(
  query: URLSearchParams,
  options: ParserOptions,
  port: number | null,
): { values: ProfileFormValues; notices: string[] } {
  const d = PROFILE_DEFAULTS;
  const modelPath = (query.get("model_path") ?? query.get("model") ?? "").trim();
  const values: ProfileFormValues = {
    name: (query.get("name") ?? "").trim() || nameFromModel(modelPath),
    description: "",
    model_path: modelPath,
    model_type: d.model_type,
    port: port === null ? "" : String(port),
    host: d.host,
    context_length: "",
    max_concurrency: String(d.max_concurrency),
    queue_timeout: String(d.queue_timeout),
    queue_size: String(d.queue_size),
    tool_call_parser: "",
    reasoning_parser: "",
    message_converter: "",
    enable_auto_tool_choice: d.enable_auto_tool_choice,
    trust_remote_code: d.trust_remote_code,
    chat_template_file: "",
    log_level: d.log_level,
    auto_start: d.auto_start,
    restart_on_crash: d.restart_on_crash,
    system_prompt: "",
    aliases: "",
    idle_timeout: "",
    keep_loaded: d.keep_loaded,
  };
  const notices: string[] = [];
  for (const [field, list, label] of CHOICES) {
    const wanted = query.get(field)?.trim();
    if (!wanted) continue;
    if (options[list].includes(wanted)) values[field] = wanted;
    else {
      notices.push(
        `The installed mlx-openai-server${
          options.version ? ` ${options.version}` : ""
        } has no ${label} "${wanted}": choose another one under Advanced`,
      );
    }
  }
  return { values, notices };
}
