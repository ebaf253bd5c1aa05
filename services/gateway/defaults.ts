/**
 * A profile's default sampling and system prompt on a `/v1` chat request, as
 * the chat page applies them: the sampling defaults (`temperature`, `top_p`, `max_tokens`, `top_k`, …) fill in
 * only what the request leaves unset, and the system prompt goes first only
 * when the request has no system or developer message. The client's own
 * values always win.
 *
 * @module
 */
import type { Profile } from "../../lib/profile_types.ts";
import { applyChatDefaults, SAMPLING_FIELDS, samplingOf } from "../chat/profile_defaults.ts";

type Body = Record<string, unknown>;

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
  profile: Pick<Profile, "system_prompt"> & Partial<Pick<Profile, typeof SAMPLING_FIELDS[number]>>,
): Body {
  const options: Body = { ...body };
  const messages = Array.isArray(body.messages) ? [...body.messages as Body[]] : null;
  applyChatDefaults(messages ?? [], options, {
    // A body without a message list is the server's to refuse, unchanged.
    systemPrompt: messages ? profile.system_prompt : null,
    sampling: samplingOf(profile),
  });
  const prompted = messages !== null && messages.length !== (body.messages as unknown[]).length;
  const sampled = SAMPLING_FIELDS.some((key) => options[key] !== body[key]);
  if (!prompted && !sampled) return body;
  return prompted ? { ...options, messages } : options;
}
