/**
 * One `POST /v1/responses` request as a {@link BridgeTurn}: its body (after
 * the stored turns it continues) becomes a chat request, the chat answer a
 * response object or event stream, which is stored for its owner unless
 * `store` is false. The gateway's errors are already in OpenAI's shape.
 *
 * @module
 */
import type { Caller } from "../../gateway/auth.ts";
import type { ChatEvent, StreamError } from "../chat_events.ts";
import { type BridgeTurn, type GatewayFailure, isLimitHeader } from "../runner.ts";
import { inputItems, readResponsesRequest, type ResponsesRequest, toChatRequest } from "./request.ts";
import { type ResponseBase, toResponse } from "./object.ts";
import { ResponsesStream } from "./stream.ts";
import type { ResponseStore } from "./store.ts";

/** Headers of a refusal that the client acts on. */
const KEPT = [
  "retry-after",
  "retry-after-ms",
  "x-should-retry",
  "www-authenticate",
  "x-request-id",
  "x-mlx-manager-error-source",
];

/** An OpenAI-shaped error answer for a gateway failure. */
export function openAiErrorResponse(failure: GatewayFailure): Response {
  const headers = new Headers({ "content-type": "application/json" });
  for (const name of KEPT) {
    const value = failure.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  for (const [name, value] of failure.headers) if (isLimitHeader(name)) headers.set(name, value);
  const error = { message: failure.message, type: failure.type, param: failure.param, code: failure.code };
  return new Response(JSON.stringify({ error }), { status: failure.status, headers });
}

/**
 * The turn of one request.
 *
 * @example
 * ```ts
 * return await runBridge(gateway, incoming, new ResponsesTurn(store), timing);
 * ```
 */
export class ResponsesTurn implements BridgeTurn {
  readonly endpoint = "/v1/responses";
  stream = false;
  readonly #store: ResponseStore;
  #request: ResponsesRequest | null = null;
  #caller: Caller | null = null;
  #id = `resp_${crypto.randomUUID().replaceAll("-", "")}`;
  #out: ResponsesStream | null = null;

  constructor(store: ResponseStore) {
    this.#store = store;
  }

  toChat(body: Record<string, unknown>, caller: Caller): Record<string, unknown> {
    const request = readResponsesRequest(body);
    const history = request.previous_response_id
      ? this.#store.history(request.previous_response_id, caller.userId)
      : [];
    this.#request = request;
    this.#caller = caller;
    this.stream = request.stream === true;
    return toChatRequest(request, history);
  }

  admitted(requestId: string): void {
    this.#id = `resp_${requestId.replace(/^req_/, "")}`;
  }

  refuse(failure: GatewayFailure): Response {
    return openAiErrorResponse(failure);
  }

  #base(): ResponseBase {
    const request = this.#request!;
    return { id: this.#id, createdAt: Math.floor(Date.now() / 1000), model: request.model, request };
  }

  #keep(response: Record<string, unknown>): void {
    const request = this.#request!;
    if (request.store === false) return;
    // A response that cannot be kept (a full disk) is still answered; the store logs why.
    this.#store.trySave({
      id: this.#id,
      userId: this.#caller?.userId ?? null,
      previousId: request.previous_response_id ?? null,
      input: inputItems(request),
      output: response.output as Record<string, unknown>[],
      response,
    });
  }

  json(completion: Record<string, unknown>): Record<string, unknown> {
    const response = toResponse(completion, this.#base());
    this.#keep(response);
    return response;
  }

  start(): string {
    this.#out = new ResponsesStream(this.#base());
    return this.#out.start();
  }

  ping(): string {
    return this.#out?.ping() ?? "";
  }

  #after(text: string): string {
    const final = this.#out!.final;
    if (text && final) this.#keep(final);
    return text;
  }

  push(event: ChatEvent): string {
    return this.#after(this.#out!.push(event));
  }

  end(): string {
    return this.#after(this.#out!.end());
  }

  fail(failure: StreamError): string {
    return this.#after(this.#out!.fail(failure));
  }

  get ended(): boolean {
    return this.#out?.ended ?? false;
  }
}
