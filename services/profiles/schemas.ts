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
import { defaultConcurrency } from "../../lib/server_features.ts";
import {
  type FieldSpec,
  fieldSpec,
  PROFILE_DEFAULTS,
  PROFILE_FIELD_NAMES,
  PROFILE_FIELDS,
  type ProfileFieldName,
  type ProfileFieldValues,
} from "../../lib/profile_fields.ts";

/** The defaults of a new profile (the server's own defaults), from the one declaration. */
export { PROFILE_DEFAULTS } from "../../lib/profile_fields.ts";

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

function decimal(label: string, min: number, max: number, minExclusive: boolean) {
  const message = `${label} must be a number ${minExclusive ? "above" : "from"} ${min} ${
    minExclusive ? "up to" : "to"
  } ${max}`;
  const base = z.number({ error: message }).max(max, message);
  return minExclusive ? base.gt(min, message) : base.min(min, message);
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

/** The schema of one field from its declaration, before the checks particular to it. */
function fieldSchema(spec: FieldSpec, options: ParserOptions): z.ZodType {
  switch (spec.kind) {
    case "text":
    case "longtext":
    case "model":
      return text(spec.label, spec.max);
    case "number":
      return spec.step !== undefined && !Number.isInteger(spec.step)
        ? decimal(spec.label, spec.min, spec.max, spec.minExclusive ?? false)
        : whole(spec.label, spec.min, spec.max);
    case "boolean":
      return z.boolean({ error: `${spec.label} must be true or false` });
    case "choice":
      return choice(spec.label, options[spec.list], options.version);
    case "list": {
      const item = spec.item === "number"
        ? z.number({ error: `${spec.itemLabel} must be a number` })
        : text(spec.itemLabel, spec.itemMax).min(1, `${spec.itemLabel} must not be empty`).refine(
          (v) => !CONTROL.test(v) && !v.includes(","),
          `${spec.itemLabel} must not contain commas or control characters`,
        );
      return z.array(item, { error: `${spec.label} must be a list` })
        .max(spec.max, `At most ${spec.max} ${spec.label.toLowerCase()}`);
    }
  }
}

/** The checks particular to some fields, on top of their kind's. */
const REFINE: Partial<Record<ProfileFieldName, (schema: z.ZodType) => z.ZodType>> = {
  name: (s) =>
    (s as z.ZodString).min(1, "Name is required").refine(
      (v) => !CONTROL.test(v),
      "Name must not contain control characters",
    ),
  system_prompt: () =>
    z.string({ error: "System prompt must be text" }).max(
      PROFILE_FIELDS.system_prompt.max,
      `System prompt must be at most ${PROFILE_FIELDS.system_prompt.max} characters`,
    ),
  model_path: (s) =>
    (s as z.ZodString).min(1, "Model path is required").refine(
      (v) => !CONTROL.test(v) && !v.startsWith("-") && (v.startsWith("/") || REPO_ID.test(v)),
      "Enter a Hugging Face repo id (org/name) or an absolute path to a model folder",
    ),
  draft_model_path: (s) =>
    s.refine(
      (v) =>
        !CONTROL.test(v as string) && !(v as string).startsWith("-") &&
        ((v as string).startsWith("/") || REPO_ID.test(v as string)),
      "Enter the draft model's Hugging Face repo id (org/name) or an absolute path to its folder",
    ),
  lora_paths: (s) =>
    s.refine(
      (list) => (list as string[]).every((v) => !v.startsWith("-")),
      "A LoRA adapter must not start with -",
    ),
  host: (s) => s.refine((v) => isHost(v as string), "Host must be an IP address or localhost"),
  chat_template_file: (s) =>
    s.refine((v) => !CONTROL.test(v as string), "Chat template file must not contain control characters")
      .refine(
        (v) => (v as string).startsWith("/"),
        "Chat template file must be an absolute path (starting with /)",
      ),
  log_level: (s) => z.preprocess((v) => typeof v === "string" ? v.trim().toUpperCase() : v, s),
};

/** The field schemas for the given choice lists, from the one declaration. */
function fields(options: ParserOptions) {
  return Object.fromEntries(PROFILE_FIELD_NAMES.map((name) => {
    const spec = fieldSpec(name);
    const refine = REFINE[name];
    const schema = refine ? refine(fieldSchema(spec, options)) : fieldSchema(spec, options);
    const optional = "default" in spec && spec.default === null;
    return [name, optional ? nullable(schema) : schema];
  })) as Record<ProfileFieldName, z.ZodType>;
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
 * input.max_concurrency; // 1 (4 on a batching server)
 * ```
 */
export function profileSchemas(
  options: ParserOptions,
): { create: z.ZodType<ProfileCreate>; update: z.ZodType<ProfileUpdate> } {
  const f = fields(options);
  const withDefaults = Object.fromEntries(
    Object.entries(f).map(([key, schema]) => {
      // Left unset, max_concurrency is the server's own to decide below.
      if (key === "max_concurrency") return [key, schema.optional()];
      const fallback = (PROFILE_DEFAULTS as Record<string, unknown>)[key];
      const fresh = () => Array.isArray(fallback) ? [...fallback] : fallback;
      return [key, fallback === undefined ? schema : schema.optional().transform((v) => v ?? fresh())];
    }),
  );
  // A batching server serves several requests of a new profile at once, where it batches its type.
  const create = z.strictObject(withDefaults, strict).transform((p) => ({
    ...p,
    max_concurrency: p.max_concurrency ?? defaultConcurrency(options.features, p as ProfileCreate),
  })) as unknown as z.ZodType<ProfileCreate>;
  const update = z.strictObject(f, strict).partial() as unknown as z.ZodType<ProfileUpdate>;
  return { create, update };
}

/** A validated new profile. */
export type ProfileCreate = ProfileFieldValues;
/** A validated change to a profile. */
export type ProfileUpdate = Partial<ProfileFieldValues>;
