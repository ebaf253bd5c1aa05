/**
 * The Chat page's prompt and sampling settings: their blank shape, reading
 * them into request fields, and the form they are kept in between visits
 * (everything but the system prompt, which belongs to the conversation).
 * Browser-safe and pure.
 *
 * @module
 */

/** Sampling and prompt settings of the Chat page. */
export interface ChatSettings {
  systemPrompt: string;
  /** Empty means the server's default. */
  temperature: string;
  topP: string;
  maxTokens: string;
  seed: string;
  /** One stop sequence per line. */
  stop: string;
  tools: boolean;
}

/**
 * Settings with every field at the server's default.
 *
 * @example
 * ```ts
 * blankSettings("Be brief").temperature; // ""
 * ```
 */
export function blankSettings(systemPrompt: string): ChatSettings {
  return { systemPrompt, temperature: "", topP: "", maxTokens: "", seed: "", stop: "", tools: false };
}

/**
 * The settings kept from an earlier visit (`saved`, as {@link storedSettings}
 * wrote it) with this conversation's system prompt; blank ones when there are
 * none or they cannot be read.
 *
 * @example
 * ```ts
 * restoreSettings('{"temperature":"0.7"}', "Be brief"); // { systemPrompt: "Be brief", temperature: "0.7", … }
 * ```
 */
export function restoreSettings(saved: string | null, systemPrompt: string): ChatSettings {
  const base = blankSettings(systemPrompt);
  try {
    const value = JSON.parse(saved ?? "{}");
    if (!value || typeof value !== "object" || Array.isArray(value)) return base;
    return { ...base, ...value, systemPrompt };
  } catch {
    return base;
  }
}

/**
 * The settings to keep for the next visit, as text: all but the system prompt.
 *
 * @example
 * ```ts
 * storedSettings(blankSettings("Be brief")); // '{"temperature":"",…,"tools":false}'
 * ```
 */
export function storedSettings(settings: ChatSettings): string {
  const { systemPrompt: _prompt, ...rest } = settings;
  return JSON.stringify(rest);
}

/**
 * Reads the numeric settings into request fields; returns the first problem as text.
 *
 * @example
 * ```ts
 * samplingFields({ ...blankSettings(""), temperature: "0.7" }); // { temperature: 0.7 }
 * samplingFields({ ...blankSettings(""), temperature: "3" }); // "temperature must be a number from 0 to 2"
 * ```
 */
export function samplingFields(s: ChatSettings): Record<string, unknown> | string {
  const out: Record<string, unknown> = {};
  const num = (raw: string, name: string, min: number, max: number, integer = false): string | null => {
    if (raw.trim() === "") return null;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      return `${name} must be ${integer ? "a whole number" : "a number"} from ${min} to ${max}`;
    }
    out[name] = value;
    return null;
  };
  const problem = num(s.temperature, "temperature", 0, 2) ?? num(s.topP, "top_p", 0.01, 1) ??
    num(s.maxTokens, "max_tokens", 1, 1_000_000, true) ?? num(s.seed, "seed", 0, 2 ** 31, true);
  if (problem) return problem;
  const stop = s.stop.split("\n").filter((line) => line !== "");
  if (stop.length > 4) return "Give at most 4 stop sequences";
  if (stop.length) out.stop = stop;
  return out;
}
