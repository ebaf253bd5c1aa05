/**
 * A profile's default sampling and system prompt, applied to a chat request
 * that sets none: missing sampling fields (`temperature`, `top_p`,
 * `max_tokens`, `top_k`, `min_p`, the penalties, `seed`) are filled in — a
 * version without the server-side flags still gets them — and the system
 * prompt goes first when the conversation has no system message of its own.
 * What the request sets always wins.
 *
 * @module
 */
import type { UpstreamMessage } from "./messages.ts";
import type { Profile } from "../../lib/profile_types.ts";

/** The profile's sampling fields, by their request names. */
export const SAMPLING_FIELDS = [
  "temperature",
  "top_p",
  "max_tokens",
  "top_k",
  "min_p",
  "repetition_penalty",
  "presence_penalty",
  "seed",
] as const;

/** A profile's default sampling (null = the server's own default). */
export type Sampling = Partial<Record<typeof SAMPLING_FIELDS[number], number | null>>;

/** The sampling defaults of a profile. */
export function samplingOf(profile: Partial<Pick<Profile, typeof SAMPLING_FIELDS[number]>>): Sampling {
  return Object.fromEntries(SAMPLING_FIELDS.map((f) => [f, profile[f] ?? null]));
}

/** What a profile sets by default for its chats (null = the server's own default). */
export interface ChatDefaults {
  systemPrompt: string | null;
  sampling?: Sampling;
}

/**
 * Fills a request's missing sampling fields and system prompt from the
 * profile's defaults, in place.
 *
 * @example
 * ```ts
 * const options = { temperature: 0.2 };
 * applyChatDefaults(messages, options, { systemPrompt: "Be brief", sampling: { temperature: 0.7, top_p: 0.9, max_tokens: null } });
 * options; // { temperature: 0.2, top_p: 0.9 }; messages[0] is { role: "system", content: "Be brief" }
 * ```
 */
export function applyChatDefaults(
  messages: UpstreamMessage[],
  options: Record<string, unknown>,
  defaults: ChatDefaults,
): void {
  const unset = (key: string) => options[key] === undefined || options[key] === null;
  for (const key of SAMPLING_FIELDS) {
    const value = defaults.sampling?.[key];
    // `max_completion_tokens` is OpenAI's newer name for the client's own limit.
    const chosen = !unset(key) || (key === "max_tokens" && !unset("max_completion_tokens"));
    if (value !== null && value !== undefined && !chosen) options[key] = value;
  }
  const prompt = defaults.systemPrompt?.trim() ? defaults.systemPrompt : null;
  if (prompt && !messages.some((m) => m.role === "system" || m.role === "developer")) {
    messages.unshift({ role: "system", content: prompt });
  }
}
