/**
 * Opening a request on a source: a local profile's server through a lease
 * from the supervisor, or an upstream with its own key. Either way the answer
 * comes back as the head of an HTTP response whose body is still to be read;
 * `release` is called once the body ended.
 *
 * @module
 */
import type { RemoteTarget } from "../upstreams/mod.ts";
import type { Backends } from "./backends.ts";
import type { Endpoint } from "./endpoints.ts";
import type { ParsedBody } from "./body.ts";
import { upstreamHeaders } from "./headers.ts";
import { rewriteBody } from "./rewrite.ts";
import { withProfileDefaults } from "./defaults.ts";
import { type Http1Answer, request as upstreamRequest } from "../platform/http1/mod.ts";
import type { LocalSource, RemoteSource } from "./sources.ts";

/** What the gateway needs of the upstreams registry. */
export interface UpstreamAccess {
  /** The enabled upstreams, oldest first. */
  targets(): RemoteTarget[];
  /** The upstream's key in clear (null: it takes none). */
  apiKey(id: number): Promise<string | null>;
  /** A connection to it failed. */
  markUnreachable(id: number, reason: string): void;
  /** It answered a forwarded request. */
  markReachable(id: number): void;
  /** How long a connection to an upstream may take. */
  readonly connectTimeoutMs: number;
  /** How long an upstream may take to begin its answer once connected. */
  readonly answerTimeoutMs: number;
}

/** An opened request. */
export interface Opened {
  /** The answer's head, its body still to be read (`response.body`). */
  response: Http1Answer;
  /** When the request was sent (`performance.now()`). */
  sentAt: number;
  coldStart: boolean;
  queueMs: number | null;
  /** Gives back what the request held (the lease); called once. */
  release(): void;
}

/** What opening a request reads. */
export interface OpenContext {
  endpoint: Endpoint;
  request: Request;
  parsed: ParsedBody;
  requestId: string;
  signal: AbortSignal;
}

const encoder = new TextEncoder();

/**
 * Takes a lease on the profile's server (starting it or queueing as the
 * supervisor decides) and sends the request with the profile's defaults for
 * what a chat request leaves unset, the body fixed for the installed server
 * and `model` set to the name the server was started under.
 *
 * @throws {AppError} from the lease; `ConnectError` or another `Http1Error` from the connection
 */
export async function openLocal(
  source: LocalSource,
  ctx: OpenContext,
  deps: { backends: Backends; serverVersion: string | null },
): Promise<Opened> {
  const { parsed } = ctx;
  // The name the request used: the dashboard shows it when the request starts the server.
  const lease = await deps.backends.acquire(source.profile, { signal: ctx.signal, model: parsed.model });
  try {
    let body: Uint8Array = parsed.raw;
    let sent = parsed;
    if (parsed.json) {
      // What the request leaves unset comes from the profile, as on the chat page.
      const json = ctx.endpoint === "/v1/chat/completions"
        ? withProfileDefaults(parsed.json, source.profile)
        : parsed.json;
      // The server answers to the name it was started under, whatever name or alias the client used.
      const fixed = rewriteBody(json, { version: deps.serverVersion, servedModel: lease.servedModel });
      if (fixed !== parsed.json) body = encoder.encode(JSON.stringify(fixed));
    } else if (lease.servedModel !== null) {
      const named = await remoteBody(parsed, lease.servedModel);
      body = named.body;
      sent = { ...parsed, contentType: named.contentType };
    }
    const sentAt = performance.now();
    const response = await upstreamRequest({
      url: lease.baseUrl + ctx.endpoint,
      headers: upstreamHeaders(ctx.request, ctx.requestId, sent),
      body,
      signal: ctx.signal,
    });
    return {
      response,
      sentAt,
      coldStart: lease.coldStart,
      queueMs: lease.queueMs,
      release: () => lease.release(),
    };
  } catch (error) {
    lease.release();
    throw error;
  }
}

/** The body with `model` set to the name the server knows the model by (JSON or multipart). */
export async function remoteBody(
  parsed: ParsedBody,
  model: string,
): Promise<{ body: Uint8Array; contentType: string }> {
  if (parsed.model === model) return { body: parsed.raw, contentType: parsed.contentType };
  if (parsed.json) {
    return {
      body: encoder.encode(JSON.stringify({ ...parsed.json, model })),
      contentType: "application/json",
    };
  }
  const form = await new Response(parsed.raw as Uint8Array<ArrayBuffer>, {
    headers: { "content-type": parsed.contentType },
  }).formData();
  form.set("model", model);
  const encoded = new Response(form);
  return {
    body: new Uint8Array(await encoded.arrayBuffer()),
    contentType: encoded.headers.get("content-type") ?? parsed.contentType,
  };
}

/**
 * Sends the request to the upstream with its key, the model named as the
 * upstream names it, within the connect timeout.
 *
 * @throws {ConnectError} when no connection opened in time (nothing was sent);
 *   `HeadersTimeoutError` when it sent no answer in time; another `Http1Error` from the connection
 */
export async function openRemote(
  source: RemoteSource,
  ctx: OpenContext,
  upstreams: UpstreamAccess,
): Promise<Opened> {
  const { upstream, model } = source;
  const base = new URL(upstream.baseUrl);
  const { body, contentType } = await remoteBody(ctx.parsed, model.id);
  const headers = upstreamHeaders(ctx.request, ctx.requestId, { ...ctx.parsed, json: null, contentType });
  const key = await upstreams.apiKey(upstream.id);
  if (key) headers.set("authorization", `Bearer ${key}`);
  const sentAt = performance.now();
  const response = await upstreamRequest({
    // The base URL ends in /v1, and so does every endpoint's path begin.
    url: base.origin + base.pathname.replace(/\/v1$/, "") + ctx.endpoint,
    headers,
    body,
    signal: ctx.signal,
    connectTimeoutMs: upstreams.connectTimeoutMs,
    headersTimeoutMs: upstreams.answerTimeoutMs,
  });
  upstreams.markReachable(upstream.id);
  return { response, sentAt, coldStart: false, queueMs: null, release: () => {} };
}
