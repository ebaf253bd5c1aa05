/**
 * One `POST /v1/messages` request as a {@link BridgeTurn}: its body becomes a
 * chat request, the chat answer an Anthropic message or event stream, and
 * the gateway's errors Anthropic's error bodies with their statuses.
 *
 * @module
 */
import type { ChatEvent, StreamError } from "../chat_events.ts";
import { type BridgeTurn, type GatewayFailure, isLimitHeader } from "../runner.ts";
import { estimateTokens } from "../../gateway/observer.ts";
import { type MessagesRequest, toChatRequest } from "./request.ts";
import { AnthropicStream } from "./stream.ts";
import { toAnthropicMessage } from "./message.ts";
import { anthropicError, anthropicErrorBody } from "./errors.ts";

/** Headers of a refusal that the client acts on (when to retry, whether to). */
const KEPT = ["retry-after", "retry-after-ms", "x-should-retry", "www-authenticate", "x-request-id"];

/** An Anthropic-shaped error answer for a gateway failure. */
export function anthropicErrorResponse(failure: GatewayFailure): Response {
  const { status, type } = anthropicError(failure.status, failure.code);
  const requestId = failure.headers.get("x-request-id") ?? undefined;
  const headers = new Headers({ "content-type": "application/json" });
  for (const name of KEPT) {
    const value = failure.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  for (const [name, value] of failure.headers) if (isLimitHeader(name)) headers.set(name, value);
  if (requestId) headers.set("request-id", requestId);
  headers.set("x-mlx-manager-error-source", failure.headers.get("x-mlx-manager-error-source") ?? "gateway");
  return new Response(JSON.stringify(anthropicErrorBody(type, failure.message, requestId)), {
    status,
    headers,
  });
}

/**
 * The turn of one request.
 *
 * @example
 * ```ts
 * return await runBridge(gateway, incoming, new AnthropicTurn(), timing);
 * ```
 */
export class AnthropicTurn implements BridgeTurn {
  readonly endpoint = "/v1/messages";
  stream = false;
  #request: MessagesRequest | null = null;
  #id = `msg_${crypto.randomUUID().replaceAll("-", "")}`;
  #inputTokens = 0;
  #out: AnthropicStream | null = null;

  toChat(body: Record<string, unknown>): Record<string, unknown> {
    const { chat, request } = toChatRequest(body);
    this.#request = request;
    this.stream = request.stream === true;
    this.#inputTokens = estimateTokens(JSON.stringify(chat.messages)) +
      (chat.tools ? estimateTokens(JSON.stringify(chat.tools)) : 0);
    return chat;
  }

  admitted(requestId: string): void {
    this.#id = `msg_${requestId.replace(/^req_/, "")}`;
  }

  refuse(failure: GatewayFailure): Response {
    return anthropicErrorResponse(failure);
  }

  #context() {
    const request = this.#request!;
    return {
      id: this.#id,
      model: request.model,
      maxTokens: request.max_tokens,
      stopSequences: request.stop_sequences ?? [],
    };
  }

  json(completion: Record<string, unknown>): Record<string, unknown> {
    return toAnthropicMessage(completion, this.#context());
  }

  start(): string {
    this.#out = new AnthropicStream({ ...this.#context(), inputTokens: this.#inputTokens });
    return this.#out.start();
  }

  ping(): string {
    return this.#out?.ping() ?? "";
  }

  push(event: ChatEvent): string {
    return this.#out!.push(event);
  }

  end(): string {
    return this.#out!.end();
  }

  fail(failure: StreamError & { status?: number }): string {
    return this.#out!.fail(failure);
  }

  get ended(): boolean {
    return this.#out?.ended ?? false;
  }
}
