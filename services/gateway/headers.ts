/**
 * The headers the gateway sends upstream and answers with: hop-by-hop
 * headers dropped, secrets never forwarded, `x-request-id` added.
 *
 * @module
 */
import type { GatewayError } from "./errors.ts";
import type { ParsedBody } from "./body.ts";

/** Response headers that belong to one connection, never forwarded. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** The headers sent to the model server: never the caller's credentials. */
export function upstreamHeaders(request: Request, id: string, parsed: ParsedBody): Headers {
  const headers = new Headers({
    "content-type": parsed.json ? "application/json" : parsed.contentType,
    accept: request.headers.get("accept") ?? "*/*",
    // Bytes pass through unchanged only if nothing decompresses them on the way.
    "accept-encoding": "identity",
    "x-request-id": id,
  });
  return headers;
}

/** The server's answer headers less the hop-by-hop ones, plus `x-request-id`. */
export function responseHeaders(upstream: Headers, id: string): Headers {
  const headers = new Headers();
  const named = (upstream.get("connection") ?? "").split(",").map((h) => h.trim().toLowerCase());
  for (const [name, value] of upstream) {
    if (HOP_BY_HOP.has(name) || named.includes(name)) continue;
    headers.append(name, value);
  }
  headers.set("x-request-id", id);
  return headers;
}

/** An OpenAI-shaped error answer. */
export function errorResponse(error: GatewayError, id?: string): Response {
  const headers = new Headers({ "content-type": "application/json", ...error.headers });
  headers.set("x-mlx-manager-error-source", "gateway");
  if (id) headers.set("x-request-id", id);
  return new Response(JSON.stringify(error.body()), { status: error.status, headers });
}
