/**
 * The one declaration of a server profile's fields: their kind, label, form
 * section, limits and defaults. The stored record's type, the database
 * columns, the API's validation and defaults, the form's values, its inputs
 * and their hints are all read from {@link PROFILE_FIELDS}. Browser-safe: data
 * and pure functions only.
 *
 * @module
 */

import type { FieldSpec } from "./profile_field_spec.ts";

export {
  type BaseSpec,
  type FieldSpec,
  PROFILE_SECTIONS,
  type ProfileChoices,
  type ProfileSection,
} from "./profile_field_spec.ts";

/** A server-side sampling default under More sampling: optional, empty = the server's own. */
function sampling(label: string, min: number, max: number, step: number, hint: string) {
  return {
    kind: "number",
    label,
    section: "sampling",
    types: CHAT,
    min,
    max,
    step,
    default: null,
    placeholder: "Server default",
    hint: `Used when a request sets none. ${hint}`,
  } as const;
}

/** A whole-number server option under Speed and memory: optional, empty = the server's own. */
function tuning(
  label: string,
  min: number,
  max: number,
  placeholder: string,
  extra: { hint?: string; types: readonly string[] },
) {
  return {
    kind: "number",
    label,
    section: "performance",
    min,
    max,
    default: null,
    placeholder,
    ...extra,
  } as const;
}

/** The model types that chat. */
const CHAT = ["lm", "multimodal"] as const;
/** Language models only. */
const LM = ["lm"] as const;
/** Image models. */
const IMAGE = ["image-generation", "image-edit"] as const;

/**
 * Every settable field of a profile, in the order the form shows them. A field
 * without `default` is required; `default: null` makes it optional.
 */
export const PROFILE_FIELDS = {
  name: { kind: "text", label: "Name", section: "basic", max: 100, placeholder: "Coding assistant" },
  port: {
    kind: "number",
    label: "Port",
    section: "basic",
    min: 1024,
    max: 65535,
    hint: "The next free port is filled in",
  },
  model_path: { kind: "model", label: "Model path", section: "basic", max: 1024 },
  model_type: { kind: "choice", label: "Model type", section: "basic", list: "model_types", default: "lm" },
  description: {
    kind: "text",
    label: "Description",
    section: "basic",
    max: 2000,
    default: null,
    placeholder: "Optional",
  },
  system_prompt: {
    kind: "longtext",
    label: "System prompt",
    section: "basic",
    max: 100_000,
    default: null,
    placeholder: "You are a helpful coding assistant.",
    hint: "Sent as the first message when a chat has no system message of its own.",
  },
  temperature: {
    kind: "number",
    label: "Default temperature",
    section: "basic",
    min: 0,
    max: 2,
    step: 0.05,
    default: null,
    placeholder: "Server default",
    hint: "Used when a chat sets none; lower is more focused, higher more varied",
  },
  top_p: {
    kind: "number",
    label: "Default top_p",
    section: "basic",
    min: 0,
    max: 1,
    step: 0.01,
    minExclusive: true,
    default: null,
    placeholder: "Server default",
    hint: "Used when a chat sets none",
  },
  max_tokens: {
    kind: "number",
    label: "Default max tokens",
    section: "basic",
    min: 1,
    max: 10_000_000,
    default: null,
    placeholder: "Server default",
    hint: "The longest answer, when a chat sets no limit",
  },
  auto_start: {
    kind: "boolean",
    label: "Start with MLX Manager",
    section: "basic",
    default: false,
    hint: "Starts this server whenever the manager starts",
  },
  restart_on_crash: {
    kind: "boolean",
    label: "Restart after a crash",
    section: "basic",
    default: false,
    hint: "With growing delays; gives up after 5 crashes in 10 minutes",
  },
  aliases: {
    kind: "list",
    label: "Other names (aliases)",
    section: "basic",
    max: 20,
    itemMax: 100,
    itemLabel: "An alias",
    default: [],
    hint: "Comma-separated names that clients may send as the model, e.g. gpt-4o-mini, qwen",
  },
  idle_timeout: {
    kind: "number",
    label: "Stop when idle for (seconds)",
    section: "basic",
    min: 0,
    max: 30 * 86_400,
    default: null,
    placeholder: "Never",
    hint: "After the last request ends; empty or 0 keeps it running",
  },
  keep_loaded: {
    kind: "boolean",
    label: "Keep loaded",
    section: "basic",
    default: false,
    hint: "Never stopped to make room for another model",
  },
  top_k: sampling(
    "Default top_k",
    0,
    100_000,
    1,
    "Only the k likeliest tokens are considered; 0 turns it off",
  ),
  min_p: sampling(
    "Default min_p",
    0,
    1,
    0.01,
    "Tokens less likely than this share of the likeliest are dropped",
  ),
  repetition_penalty: sampling(
    "Default repetition penalty",
    0,
    10,
    0.01,
    "Above 1 discourages repeating tokens",
  ),
  presence_penalty: sampling("Default presence penalty", -2, 2, 0.05, "Above 0 favours new topics"),
  seed: sampling(
    "Default seed",
    0,
    2 ** 32 - 1,
    1,
    "The same seed and prompt give the same answer (needs requests served one at a time on 1.8)",
  ),
  prompt_cache_size: tuning("Prompt cache entries", 0, 100_000, "Server default (10)", {
    types: LM,
    hint: "Earlier conversations kept, so a follow-up skips re-reading its prompt",
  }),
  prompt_cache_bytes: tuning("Prompt cache size (bytes)", 1, 2 ** 53 - 1, "Unbounded", {
    types: LM,
    hint: "The most the kept caches may take; on 1.8 they are kept on disk in MLX Manager's data folder",
  }),
  draft_model_path: {
    kind: "model",
    label: "Draft model",
    section: "performance",
    max: 1024,
    default: null,
    placeholder: "A small model of the same family",
    types: LM,
    hint:
      "Speculative decoding: a small model of the same family proposes tokens the main model checks; answers come faster, requests are served one at a time",
  },
  num_draft_tokens: tuning("Draft tokens per step", 1, 64, "Server default (2)", { types: LM }),
  kv_bits: tuning("KV cache bits", 1, 8, "Not quantized", {
    types: CHAT,
    hint: "4 or 8 shrinks the context's memory at a small cost in quality",
  }),
  kv_group_size: tuning("KV cache group size", 1, 1024, "Server default (64)", { types: CHAT }),
  quantized_kv_start: tuning("Quantize the KV cache from token", 0, 10_000_000, "Server default (0)", {
    types: CHAT,
  }),
  host: {
    kind: "text",
    label: "Host",
    section: "advanced",
    max: 64,
    default: "127.0.0.1",
    hint: "this Mac only; 0.0.0.0 for the network",
  },
  context_length: {
    kind: "number",
    label: "Context length",
    section: "advanced",
    min: 1,
    max: 10_000_000,
    default: null,
    placeholder: "Model default",
    hint: "Tokens kept in the cache; empty for the model's default",
  },
  max_concurrency: {
    kind: "number",
    label: "Max concurrency",
    section: "advanced",
    min: 1,
    max: 1024,
    default: 1,
    hint: "Requests the model serves at once; more wait in MLX Manager's queue",
  },
  queue_timeout: {
    kind: "number",
    label: "Queue timeout (seconds)",
    section: "advanced",
    min: 1,
    max: 86_400,
    default: 300,
    hint: "How long a request may wait in MLX Manager's queue",
  },
  queue_size: {
    kind: "number",
    label: "Queue size",
    section: "advanced",
    min: 1,
    max: 100_000,
    default: 100,
    hint: "Requests that may wait in MLX Manager's queue",
  },
  log_level: { kind: "choice", label: "Log level", section: "advanced", list: "log_levels", default: "INFO" },
  tool_call_parser: {
    kind: "choice",
    label: "Tool call parser",
    section: "advanced",
    list: "tool_call_parsers",
    default: null,
    hint: "Needed for tool calling with Qwen3, GLM, MiniMax and similar models",
  },
  reasoning_parser: {
    kind: "choice",
    label: "Reasoning parser",
    section: "advanced",
    list: "reasoning_parsers",
    default: null,
    hint: "Separates the model's thinking from its answer",
  },
  message_converter: {
    kind: "choice",
    label: "Message converter",
    section: "advanced",
    list: "message_converters",
    default: null,
  },
  chat_template_file: {
    kind: "text",
    label: "Chat template file",
    section: "advanced",
    max: 1024,
    default: null,
    placeholder: "/path/to/template.jinja",
    hint: "An absolute path; empty for the model's own template",
  },
  enable_auto_tool_choice: {
    kind: "boolean",
    label: "Auto tool choice",
    section: "advanced",
    default: false,
    hint: `Lets the model decide when to call tools ("tool_choice": "auto")`,
  },
  trust_remote_code: {
    kind: "boolean",
    label: "Trust remote code",
    section: "advanced",
    default: false,
    hint: "Runs code shipped with the model; only for repos you trust",
  },
  lora_paths: {
    kind: "list",
    label: "LoRA adapters",
    section: "advanced",
    max: 20,
    itemMax: 1024,
    itemLabel: "A LoRA adapter",
    types: IMAGE,
    default: [],
    hint: "Image models: comma-separated adapter files or repo ids",
  },
  lora_scales: {
    kind: "list",
    label: "LoRA scales",
    section: "advanced",
    max: 20,
    itemMax: 32,
    itemLabel: "A LoRA scale",
    types: IMAGE,
    item: "number",
    default: [],
    hint: "One number per adapter, e.g. 0.8, 1.0",
  },
} as const satisfies Record<string, FieldSpec>;

type Specs = typeof PROFILE_FIELDS;

/** The name of a settable profile field. */
export type ProfileFieldName = keyof Specs;

type Stored<S> = S extends { kind: "boolean" } ? boolean
  : S extends { kind: "number" } ? number
  : S extends { kind: "list"; item: "number" } ? number[]
  : S extends { kind: "list" } ? string[]
  : string;
type Optional<S> = S extends { default: null } ? null : never;

/** The settable fields of a profile as stored and as the API shows them. */
export type ProfileFieldValues = { -readonly [K in ProfileFieldName]: Stored<Specs[K]> | Optional<Specs[K]> };

/** Every field of the form, as its inputs hold them: checkboxes as booleans, the rest as text. */
export type ProfileFormValues = {
  -readonly [K in ProfileFieldName]: Specs[K] extends { kind: "boolean" } ? boolean : string;
};

/** The field names, in declaration order. */
export const PROFILE_FIELD_NAMES = Object.keys(PROFILE_FIELDS) as ProfileFieldName[];

/** The spec of a field, widened for code that handles every kind. */
export function fieldSpec(name: ProfileFieldName): FieldSpec {
  return PROFILE_FIELDS[name];
}

/** The names of the fields of one kind. */
export function fieldsOfKind(kind: FieldSpec["kind"]): ProfileFieldName[] {
  return PROFILE_FIELD_NAMES.filter((name) => fieldSpec(name).kind === kind);
}

/** The default of every optional field: what a new profile gets when the field is left out. */
export const PROFILE_DEFAULTS = Object.fromEntries(
  PROFILE_FIELD_NAMES.flatMap((name) => {
    const spec = fieldSpec(name);
    return "default" in spec && spec.default !== undefined ? [[name, spec.default]] : [];
  }),
) as { [K in ProfileFieldName as Specs[K] extends { default: unknown } ? K : never]: ProfileFieldValues[K] };
