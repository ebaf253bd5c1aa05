/**
 * What a protocol bridge (`/v1/messages`, `/v1/responses`) hands the gateway
 * so that its requests take the chat endpoint's whole path: the bridge's own
 * path for the activity row, the translation of its JSON body into a chat
 * request (after the caller was identified and the body read within the
 * limits), and a signal once every check passed and the request waits for
 * its server.
 *
 * @module
 */
import type { Caller } from "./auth.ts";
import type { ParsedBody } from "./body.ts";

/** A bridge in front of `/v1/chat/completions`. */
export interface BridgeHooks {
  /** The path the activity row names, e.g. `/v1/messages`. */
  endpoint: string;
  /**
   * The chat request for the protocol's body; throws a `GatewayError` (a 400
   * in OpenAI's shape) to refuse it.
   */
  toChat(body: Record<string, unknown>, caller: Caller): Record<string, unknown>;
  /**
   * Called once the request passed every check, before it waits for its
   * server, with the request's id (its activity row's and `x-request-id`)
   * and the `x-ratelimit-*` headers every answer to it carries.
   */
  admitted?(requestId: string, limitHeaders: Readonly<Record<string, string>>): void;
}

const encoder = new TextEncoder();

/**
 * The parsed body of the chat request a bridge built from `parsed`.
 *
 * @example
 * ```ts
 * const chat = bridgedBody(parsed, hooks, caller); // chat.json.messages, chat.raw (its JSON)
 * ```
 */
export function bridgedBody(parsed: ParsedBody, hooks: BridgeHooks, caller: Caller): ParsedBody {
  const json = hooks.toChat(parsed.json ?? {}, caller);
  return {
    raw: encoder.encode(JSON.stringify(json)),
    json,
    model: typeof json.model === "string" ? json.model.trim() : parsed.model,
    stream: json.stream === true,
    contentType: "application/json",
  };
}
