/**
 * The one declaration of a server profile's fields: their kind, label, form
 * section, limits and defaults. The stored record's type, the database
 * columns, the API's validation and defaults, the form's values, its inputs
 * and their hints are all read from {@link PROFILE_FIELDS}. Browser-safe: data
 * and pure functions only.
 *
 * @module
 */

/** The choice lists of the installed server, by the name a choice field uses. */
export interface ProfileChoices {
  model_types: string[];
  tool_call_parsers: string[];
  reasoning_parsers: string[];
  message_converters: string[];
  log_levels: string[];
}

interface BaseSpec {
  /** What the form and every error message call the field. */
  label: string;
  /** Where the form shows it: first, or under Advanced. */
  section: "basic" | "advanced";
  /** A sentence under the input; the default is put before it when there is one. */
  hint?: string;
  placeholder?: string;
}

/** How one field is entered, checked and stored. */
export type FieldSpec =
  & BaseSpec
  & (
    | { kind: "text" | "longtext" | "model"; max: number; default?: string | null }
    | {
      kind: "number";
      min: number;
      max: number;
      /** The input's step; a fraction makes the field a decimal. @default 1 (whole numbers) */
      step?: number;
      /** The lower bound is excluded (top_p > 0). @default false */
      minExclusive?: boolean;
      default?: number | null;
    }
    | { kind: "boolean"; default: boolean }
    | { kind: "choice"; list: keyof ProfileChoices; default: string | null }
    | { kind: "list"; max: number; itemMax: number; default: string[] }
  );

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
  },
  queue_timeout: {
    kind: "number",
    label: "Queue timeout (seconds)",
    section: "advanced",
    min: 1,
    max: 86_400,
    default: 300,
  },
  queue_size: {
    kind: "number",
    label: "Queue size",
    section: "advanced",
    min: 1,
    max: 100_000,
    default: 100,
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
} as const satisfies Record<string, FieldSpec>;

type Specs = typeof PROFILE_FIELDS;

/** The name of a settable profile field. */
export type ProfileFieldName = keyof Specs;

type Stored<S> = S extends { kind: "boolean" } ? boolean
  : S extends { kind: "number" } ? number
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

/** The text a form shows for a stored value. */
function toText(value: string | number | string[] | null): string {
  if (value === null) return "";
  return Array.isArray(value) ? value.join(", ") : String(value);
}

/**
 * The form values of stored fields (a profile, or the defaults with the
 * required fields empty).
 *
 * @example
 * ```ts
 * formValues({ ...PROFILE_DEFAULTS, name: "Qwen3" }).max_concurrency; // "1"
 * ```
 */
export function formValues(fields: Partial<ProfileFieldValues>): ProfileFormValues {
  const out: Record<string, string | boolean> = {};
  for (const name of PROFILE_FIELD_NAMES) {
    const value = fields[name] ?? (PROFILE_DEFAULTS as Partial<ProfileFieldValues>)[name] ?? null;
    out[name] = typeof value === "boolean" ? value : toText(value as string | number | string[] | null);
  }
  return out as ProfileFormValues;
}

/**
 * The request body for form values: numbers as numbers, lists split at commas,
 * empty optional fields as null (which clears them).
 *
 * @example
 * ```ts
 * formBody({ ...values, context_length: "", aliases: "a, b" }); // { …, context_length: null, aliases: ["a", "b"] }
 * ```
 */
export function formBody(values: ProfileFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const name of PROFILE_FIELD_NAMES) {
    const spec = fieldSpec(name);
    const value = values[name];
    if (typeof value === "boolean") {
      body[name] = value;
      continue;
    }
    const blank = value.trim() === "";
    if (spec.kind === "list") body[name] = value.split(",").map((a) => a.trim()).filter((a) => a !== "");
    else if (spec.kind === "number") body[name] = blank ? null : Number(value.trim());
    else body[name] = blank && "default" in spec && spec.default === null ? null : value;
  }
  return body;
}

/**
 * A field's hint with its default in front, from the declaration itself, so
 * the form never restates a default.
 *
 * @example
 * ```ts
 * fieldHint("max_concurrency"); // "Default: 1"
 * ```
 */
export function fieldHint(name: ProfileFieldName): string | undefined {
  const spec = fieldSpec(name);
  const fallback = spec.kind === "boolean" || spec.kind === "list" ? null : spec.default ?? null;
  const parts = [fallback === null ? null : `Default: ${fallback}`, spec.hint ?? null].filter((p) =>
    p !== null
  );
  return parts.length ? parts.join(fallback !== null && spec.hint ? " — " : "") : undefined;
}
