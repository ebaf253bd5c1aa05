/**
 * How profile settings map onto the installed `mlx-openai-server`: the flag
 * of each field, what the version does without it (the manager fills sampling
 * defaults into requests, or the server's own default is the same), how
 * `max_concurrency` becomes `--max-concurrency` (1.5) or the batching flags
 * (1.8), and every setting the version cannot honour, refused with the
 * version named. Pure: a profile and a {@link ServerInfo} in, answers out.
 *
 * @module
 */
import type { Profile } from "../../db/profiles.ts";
import { fieldSpec, PROFILE_FIELD_NAMES, type ProfileFieldName } from "../../lib/profile_fields.ts";
import { batches, type ServerFeatures, versionAtLeast } from "../../lib/server_features.ts";
import type { ServerInfo } from "./server_info.ts";

/** One profile field the server receives as a flag. */
export interface FlagRule {
  field: ProfileFieldName;
  flag: string;
  /**
   * The server's own default: a value equal to it may be left out when the
   * installed version lacks the flag, because that is what the server does anyway.
   */
  serverDefault?: string | number;
  /** Always passed (the server cannot run without it). */
  required?: boolean;
  /**
   * The version from which a request field of this name is honoured: without
   * the flag, the manager fills the value into each request that sets none.
   */
  inRequestsSince?: string;
}

/** Every profile field the server receives, in command-line order. */
export const FLAG_RULES: readonly FlagRule[] = [
  { field: "model_path", flag: "--model-path", required: true },
  { field: "model_type", flag: "--model-type", serverDefault: "lm" },
  { field: "host", flag: "--host", required: true },
  { field: "port", flag: "--port", required: true },
  { field: "context_length", flag: "--context-length" },
  { field: "tool_call_parser", flag: "--tool-call-parser" },
  { field: "reasoning_parser", flag: "--reasoning-parser" },
  { field: "message_converter", flag: "--message-converter" },
  { field: "enable_auto_tool_choice", flag: "--enable-auto-tool-choice" },
  { field: "trust_remote_code", flag: "--trust-remote-code" },
  { field: "chat_template_file", flag: "--chat-template-file" },
  { field: "log_level", flag: "--log-level", serverDefault: "INFO" },
  { field: "prompt_cache_size", flag: "--prompt-cache-size" },
  { field: "prompt_cache_bytes", flag: "--max-bytes" },
  { field: "draft_model_path", flag: "--draft-model-path" },
  { field: "num_draft_tokens", flag: "--num-draft-tokens" },
  { field: "kv_bits", flag: "--kv-bits" },
  { field: "kv_group_size", flag: "--kv-group-size" },
  { field: "quantized_kv_start", flag: "--quantized-kv-start" },
  { field: "max_tokens", flag: "--max-tokens", inRequestsSince: "1.0.0" },
  { field: "temperature", flag: "--temperature", inRequestsSince: "1.0.0" },
  { field: "top_p", flag: "--top-p", inRequestsSince: "1.0.0" },
  { field: "top_k", flag: "--top-k", inRequestsSince: "1.0.0" },
  { field: "min_p", flag: "--min-p", inRequestsSince: "1.0.0" },
  { field: "repetition_penalty", flag: "--repetition-penalty", inRequestsSince: "1.0.0" },
  { field: "presence_penalty", flag: "--presence-penalty", inRequestsSince: "1.6.0" },
  { field: "seed", flag: "--seed", inRequestsSince: "1.0.0" },
  { field: "lora_paths", flag: "--lora-paths" },
  { field: "lora_scales", flag: "--lora-scales" },
];

/** `--queue-timeout` the manager passes: a week, so the server never ends a request a client still waits for. */
export const SERVER_QUEUE_TIMEOUT = 7 * 86_400;

/** The label the messages give the installed server. */
export function serverName(info: Pick<ServerInfo, "version">): string {
  return `mlx-openai-server ${info.version ?? "(unknown version)"}`;
}

/**
 * What the installed server can do, from its options and version.
 *
 * @example
 * ```ts
 * serverFeatures(info181).concurrency; // "batching"
 * ```
 */
export function serverFeatures(info: ServerInfo): ServerFeatures {
  const has = (flag: string) => info.options[flag] !== undefined;
  const concurrency = !info.installed
    ? "semaphore"
    : has("--decode-concurrency")
    ? "batching"
    : has("--max-concurrency") && !versionAtLeast(info.version, "1.5.3")
    ? "semaphore"
    : "serial";
  const taken = (name: ProfileFieldName) => {
    const rule = FLAG_RULES.find((r) => r.field === name);
    if (!rule || rule.required || has(rule.flag)) return true;
    if (rule.field === "message_converter") return false;
    return rule.inRequestsSince !== undefined &&
      versionAtLeast(info.version ?? "1.5.0", rule.inRequestsSince);
  };
  return {
    installed: info.installed,
    version: info.version,
    fields: info.installed ? PROFILE_FIELD_NAMES.filter(taken) : null,
    concurrency,
    disableBatching: has("--disable-batching"),
    servedName: has("--served-model-name"),
    batchStats: has("--decode-concurrency"),
    multimodalBatching: has("--decode-concurrency") && versionAtLeast(info.version, "1.8.1"),
  };
}

/**
 * How many requests the server can serve at once for this profile: any number
 * with a semaphore; one on a serial server, for a draft model (speculative
 * decoding is never batched) and for the model types a 1.8 server does not
 * batch (multimodal is batched from 1.8.1).
 */
export function capacity(profile: Profile, info: ServerInfo): number {
  const features = serverFeatures(info);
  if (features.concurrency === "semaphore") return Infinity;
  return batches(features, profile) ? Infinity : 1;
}

/** Whether the server batches this profile's requests (1.8, more than one at once). */
export function batched(profile: Profile, info: ServerInfo): boolean {
  return serverFeatures(info).concurrency === "batching" && (profile.max_concurrency ?? 1) > 1 &&
    capacity(profile, info) > 1;
}

function isSet(value: unknown): boolean {
  return value !== null && value !== undefined && value !== false && value !== "" &&
    !(Array.isArray(value) && value.length === 0);
}

/** Whether the version derives this converter itself from a parser the profile names (1.7+). */
function derivedConverter(profile: Profile, info: ServerInfo): boolean {
  return versionAtLeast(info.version, "1.7.0") &&
    (profile.message_converter === profile.tool_call_parser ||
      profile.message_converter === profile.reasoning_parser);
}

/** Settings the batched path of 1.8 ignores (it keeps no rotating window and quantizes no lm cache). */
function batchedRefusals(profile: Profile, info: ServerInfo): Record<string, string> {
  if (!batched(profile, info)) return {};
  const out: Record<string, string> = {};
  const why = `${serverName(info)} batches requests when Max concurrency is above 1, and batched generation`;
  const fix = (label: string) => `set Max concurrency to 1 or clear ${label}`;
  if (profile.context_length !== null) {
    out.context_length = `${why} keeps no context window: ${fix("Context length")}`;
  }
  if (profile.model_type === "lm") {
    for (const field of ["kv_bits", "kv_group_size", "quantized_kv_start"] as const) {
      if (profile[field] !== null) {
        out[field] = `${why} does not quantize the KV cache: ${fix(fieldSpec(field).label)}`;
      }
    }
  }
  if (profile.seed !== null && versionAtLeast(info.version, "1.8.1")) {
    out.seed = `${why} ignores seeds: ${fix("Default seed")}`;
  }
  return out;
}

/**
 * Every set field the installed server cannot honour, with why and what to
 * do, by field; empty when it can run the profile as saved.
 *
 * @example
 * ```ts
 * refusals({ ...profile, kv_bits: 4 }, info151);
 * // { kv_bits: "The installed mlx-openai-server 1.5.1 has no --kv-bits option: clear KV cache bits or install a version that has it" }
 * ```
 */
export function refusals(profile: Profile, info: ServerInfo): Record<string, string> {
  const version = serverName(info);
  const out: Record<string, string> = {};
  for (const rule of FLAG_RULES) {
    const value = profile[rule.field];
    if (!isSet(value)) continue;
    const spec = fieldSpec(rule.field);
    if (spec.types && !spec.types.includes(profile.model_type)) {
      out[rule.field] = `${spec.label} applies to ${spec.types.join(" and ")} models only: clear it`;
      continue;
    }
    const option = info.options[rule.flag];
    if (!option) {
      if (rule.serverDefault !== undefined && value === rule.serverDefault) continue;
      if (rule.field === "message_converter" && derivedConverter(profile, info)) continue;
      if (rule.inRequestsSince && versionAtLeast(info.version ?? "1.5.0", rule.inRequestsSince)) continue;
      out[rule.field] = rule.serverDefault !== undefined
        ? `The installed ${version} has no ${rule.flag} option: set ${spec.label} to ${rule.serverDefault} or install a version that has it`
        : `The installed ${version} has no ${rule.flag} option: clear ${spec.label} or install a version that has it`;
      continue;
    }
    if (option.choices && option.takesValue) {
      const text = String(value);
      const allowed = rule.flag === "--log-level"
        ? option.choices.map((c) => c.toUpperCase()).includes(text.toUpperCase())
        : option.choices.includes(text);
      if (!allowed) {
        out[rule.field] = `The installed ${version} does not accept ${spec.label} "${text}": choose one of ${
          option.choices.join(", ")
        }`;
      }
    }
  }
  const { lora_paths: paths, lora_scales: scales } = profile;
  if (scales.length > 0 && scales.length !== paths.length) {
    out.lora_scales ??= `Give one scale per LoRA adapter (${paths.length} adapters, ${scales.length} scales)`;
  }
  if (profile.num_draft_tokens !== null && !profile.draft_model_path) {
    out.num_draft_tokens ??= "Draft tokens per step needs a Draft model: choose one or clear it";
  }
  const limit = capacity(profile, info);
  const wanted = profile.max_concurrency ?? 1;
  if (wanted > limit) {
    out.max_concurrency = serverFeatures(info).concurrency === "serial"
      ? `The installed ${version} serves one request at a time: set Max concurrency to 1, or install 1.8 or later to serve several at once`
      : profile.draft_model_path
      ? `A draft model serves one request at a time (speculative decoding is not batched): set Max concurrency to 1 or clear Draft model`
      : `The installed ${version} serves one ${profile.model_type} request at a time: set Max concurrency to 1`;
  }
  return { ...batchedRefusals(profile, info), ...out };
}
