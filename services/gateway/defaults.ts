/**
 * A profile's default sampling and system prompt on a `/v1` chat request, as
 * the chat page applies them: `temperature`, `top_p` and `max_tokens` fill in
 * only what the request leaves unset, and the system prompt goes first only
 * when the request has no system or developer message. The client's own
 * values always win.
 *
 * @module
 */
import type { Profile } from "../../lib/profile_types.ts";
import { applyChatDefaults } from "../chat/profile_defaults.ts";

type Body = Record<string, unknown>;

const SAMPLING = ["temperature", "top_p", "max_tokens"] as const;

/**
 * The body with the profile's defaults filled in; the same object when the
 * profile adds nothing, so the original bytes are forwarded.
 *
 * @example
 * ```ts
 * withProfileDefaults({ model: "coder", messages: [] }, { ...profile, temperature: 0.2 });
 * // { model: "coder", messages: [], temperature: 0.2 }
 * ```
 */
export function withProfileDefaults(
  body: Body,
  profile: Pick<Profile, "system_prompt" | "temperature" | "top_p" | "max_tokens">,
): Body {
  const options: Body = { ...body };
  const messages = Array.isArray(body.messages) ? [...body.messages as Body[]] : null;
  applyChatDefaults(messages ?? [], options, {
    // A body without a message list is the server's to refuse, unchanged.
    systemPrompt: messages ? profile.system_prompt : null,
    sampling: { temperature: profile.temperature, top_p: profile.top_p, max_tokens: profile.max_tokens },
  });
  const prompted = messages !== null && messages.length !== (body.messages as unknown[]).length;
  const sampled = SAMPLING.some((key) => options[key] !== body[key]);
  if (!prompted && !sampled) return body;
  return prompted ? { ...options, messages } : options;
}
