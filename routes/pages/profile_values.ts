/**
 * The starting values of the profile form: a profile's own, or the defaults
 * plus what a link passes (`/profiles/new?model_path=…&tool_call_parser=…`),
 * keeping only values the installed server accepts.
 *
 * @module
 */
import type { Profile } from "../../db/profiles.ts";
import type { ProfileFormValues } from "../../lib/profile_fields.ts";
import { formValues } from "../../lib/profile_form.ts";
import { defaultConcurrency } from "../../lib/server_features.ts";
import type { ParserOptions } from "../../services/supervisor/server_info.ts";

/** The form values of an existing profile. */
export function profileValues(p: Profile): ProfileFormValues {
  return formValues(p);
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
  const modelPath = (query.get("model_path") ?? query.get("model") ?? "").trim();
  const values: ProfileFormValues = {
    ...formValues({}),
    // A batching server serves several requests of a new profile at once.
    max_concurrency: String(defaultConcurrency(options.features)),
    name: (query.get("name") ?? "").trim() || nameFromModel(modelPath),
    model_path: modelPath,
    port: port === null ? "" : String(port),
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
