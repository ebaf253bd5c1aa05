/**
 * The profile form's parser suggestions: once the model path stops
 * changing, detection is asked which parsers fit it, and empty parser fields
 * are filled with those the installed server offers. It also says whether a
 * repository is missing from the cache.
 *
 * @module
 */
import type { Signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { api } from "./api.ts";
import type { ParserSuggestion } from "../model_types.ts";
import type { ProfileChoices, ProfileFormValues } from "../profile_fields.ts";

/**
 * Fills empty parser fields of `values` for its model, 500 ms after the last
 * edit of the path; sets `missing` to a repository the cache lacks (null for
 * a folder or a downloaded model).
 */
export function useParserSuggestions(
  values: Signal<ProfileFormValues>,
  choices: ProfileChoices,
  hydrated: boolean,
  missing: Signal<string | null>,
): void {
  const modelPath = values.value.model_path;
  useEffect(() => {
    const path = modelPath.trim();
    if (!hydrated || !/^([\w.-]+\/[\w.-]+|\/.+)$/.test(path)) {
      missing.value = null;
      return;
    }
    const timer = setTimeout(async () => {
      try {
        // An absolute folder gives "detect-options//path", which the route reads as a folder.
        const detected = await api<{ recommended_options: ParserSuggestion; is_downloaded: boolean }>(
          `/api/models/detect-options/${encodeURI(path)}`,
        );
        // A folder is the admin's to fill; a repository missing from the cache can be downloaded here.
        missing.value = !path.startsWith("/") && !detected.is_downloaded ? path : null;
        const next = { ...values.value };
        const offer = (key: keyof ParserSuggestion, list: string[]) => {
          const option = detected.recommended_options[key];
          if (option && next[key] === "" && list.includes(option)) next[key] = option;
        };
        offer("tool_call_parser", choices.tool_call_parsers);
        offer("reasoning_parser", choices.reasoning_parsers);
        offer("message_converter", choices.message_converters);
        values.value = next;
      } catch { /* suggestions are optional */ }
    }, 500);
    return () => clearTimeout(timer);
  }, [modelPath, hydrated]);
}
