/**
 * The protocol bridges in front of the gateway's chat path: Anthropic
 * Messages (`/v1/messages`, `/v1/messages/count_tokens`) and OpenAI
 * Responses (`/v1/responses` and its stored responses). Each request is
 * translated onto chat completions, so every source the gateway routes to
 * (a local profile of any server version, any upstream) answers alike.
 *
 * @module
 */
import type { Gateway } from "../gateway/mod.ts";
import type { Caller, Credentials } from "../gateway/auth.ts";
import { readBody } from "../gateway/body.ts";
import {
  type GatewayError,
  methodNotAllowed,
  modelNotAllowed,
  modelNotFound,
  responseNotFound,
  toGatewayError,
} from "../gateway/errors.ts";
import { sourceAllowed } from "../gateway/sources.ts";
import { type BridgeTiming, runBridge } from "./runner.ts";
import { anthropicErrorResponse, AnthropicTurn } from "./anthropic/turn.ts";
import { ResponsesTurn } from "./responses/turn.ts";
import type { ResponseStore } from "./responses/store.ts";
import { chatMessages, chatTools, CountTokensBody } from "./anthropic/request.ts";
import { parseBody } from "./validate.ts";
import { promptText, type TokenCounter } from "./tokens.ts";
import { errorResponse } from "../gateway/headers.ts";

/** What a bridged request brings. */
export interface BridgeRequest {
  request: Request;
  credentials: Credentials;
}

/** Dependencies of {@link Bridges}. */
export interface BridgesDeps {
  gateway: Gateway;
  store: ResponseStore;
  tokens: TokenCounter;
  timing: BridgeTiming;
}

/** The header that says how `count_tokens` counted. */
export const TOKEN_COUNT_HEADER = "x-mlx-manager-token-count";

/** A {@link GatewayError} as the parts the protocols' error answers take. */
function failure(error: GatewayError) {
  return {
    status: error.status,
    message: error.message,
    type: error.type,
    code: error.code,
    param: error.param,
    headers: new Headers(error.headers),
  };
}

/**
 * The bridges.
 *
 * @example
 * ```ts
 * const bridges = new Bridges({ gateway, store, tokens, timing: { commitMs: 400, keepAliveMs: 10_000 } });
 * const res = await bridges.messages({ request, credentials });
 * ```
 */
export class Bridges {
  readonly #deps: BridgesDeps;

  constructor(deps: BridgesDeps) {
    this.#deps = deps;
  }

  /** `POST /v1/messages`. Never throws. */
  messages(incoming: BridgeRequest): Promise<Response> {
    return runBridge(this.#deps.gateway, incoming, new AnthropicTurn(), this.#deps.timing);
  }

  /** `POST /v1/responses`. Never throws. */
  responses(incoming: BridgeRequest): Promise<Response> {
    return runBridge(this.#deps.gateway, incoming, new ResponsesTurn(this.#deps.store), this.#deps.timing);
  }

  /**
   * `POST /v1/messages/count_tokens`: the prompt's tokens by the model's own
   * tokenizer when its files are here, else estimated (the
   * {@link TOKEN_COUNT_HEADER} says which). Never throws.
   */
  async countTokens(incoming: BridgeRequest): Promise<Response> {
    const { gateway, tokens } = this.#deps;
    try {
      const caller = await gateway.authenticate(incoming.credentials);
      const parsed = await readBody(incoming.request, "/v1/chat/completions");
      const request = parseBody(CountTokensBody, parsed.json);
      const found = gateway.sources(request.model);
      if (found.length === 0) throw modelNotFound(request.model);
      const source = found.find((s) => sourceAllowed(caller.models, s));
      if (!source) {
        throw modelNotAllowed(request.model);
      }
      const text = promptText(chatMessages(request), chatTools(request.tools));
      const count = await tokens.count(source.type === "local" ? source.profile.model_path : null, text);
      return new Response(JSON.stringify({ input_tokens: count.tokens }), {
        headers: { "content-type": "application/json", [TOKEN_COUNT_HEADER]: count.method },
      });
    } catch (error) {
      return anthropicErrorResponse(failure(toGatewayError(error)));
    }
  }

  /**
   * The answer to a method a bridge route does not take: 405 in the
   * protocol's shape, after the caller was identified (401 first).
   */
  async methodNotAllowed(
    protocol: "anthropic" | "openai",
    credentials: Credentials,
    method: string,
    path: string,
  ): Promise<Response> {
    let error: GatewayError;
    try {
      await this.#owner(credentials);
      error = methodNotAllowed(method, `${path}; use POST`);
    } catch (thrown) {
      error = toGatewayError(thrown);
    }
    return protocol === "anthropic" ? anthropicErrorResponse(failure(error)) : errorResponse(error);
  }

  /** Deletes stored responses past their retention; how many. */
  prune(at: number = Date.now()): number {
    return this.#deps.store.prune(at);
  }

  async #owner(credentials: Credentials): Promise<Caller> {
    return await this.#deps.gateway.authenticate(credentials);
  }

  /** `GET /v1/responses/{id}`: the stored response, to its owner only (anyone else: 404). */
  async getResponse(credentials: Credentials, id: string): Promise<Response> {
    try {
      const caller = await this.#owner(credentials);
      const response = this.#deps.store.get(id, caller.userId);
      if (!response) throw responseNotFound(id);
      return Response.json(response);
    } catch (error) {
      return errorResponse(toGatewayError(error));
    }
  }

  /** `DELETE /v1/responses/{id}`, by its owner only (anyone else: 404). */
  async deleteResponse(credentials: Credentials, id: string): Promise<Response> {
    try {
      const caller = await this.#owner(credentials);
      if (!this.#deps.store.delete(id, caller.userId)) throw responseNotFound(id);
      return Response.json({ id, object: "response", deleted: true });
    } catch (error) {
      return errorResponse(toGatewayError(error));
    }
  }
}
