/**
 * `/v1`: the OpenAI endpoint for every model. Mounted before the session
 * middleware: the gateway checks keys itself and answers every error in
 * OpenAI's shape.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../env.ts";
import { isSameOrigin, SESSION_COOKIE } from "../access.ts";
import { errorResponse } from "../../services/gateway/mod.ts";
import { GatewayError, toGatewayError } from "../../services/gateway/errors.ts";
import type { Credentials } from "../../services/gateway/auth.ts";
import { type Endpoint, ENDPOINTS, isEndpoint } from "../../services/gateway/endpoints.ts";

/** The `/v1` routes. */
export const v1Api = new Hono<AppEnv>();

/** The credentials a request presents: a Bearer or `x-api-key`, else the session cookie. */
export function credentials(c: Context<AppEnv>): Credentials {
  const header = c.req.header("authorization");
  const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? c.req.header("x-api-key")?.trim() ?? null;
  return {
    bearer: bearer || null,
    cookie: bearer ? null : getCookie(c, SESSION_COOKIE) ?? null,
    sameOrigin: isSameOrigin(c),
    unsafe: c.req.method !== "GET" && c.req.method !== "HEAD",
  };
}

async function guarded(fn: () => Promise<Response> | Response): Promise<Response> {
  try {
    return await fn();
  } catch (error) {
    return errorResponse(toGatewayError(error));
  }
}

v1Api.get("/models", (c) =>
  guarded(async () => {
    const { gateway } = c.var.deps;
    const caller = await gateway.authenticate(credentials(c));
    return c.json({ object: "list", data: gateway.models(caller) });
  }));

v1Api.get("/models/*", (c) =>
  guarded(async () => {
    const { gateway } = c.var.deps;
    const caller = await gateway.authenticate(credentials(c));
    const raw = c.req.path.slice("/v1/models/".length);
    let id: string;
    try {
      id = decodeURIComponent(raw);
    } catch {
      id = raw;
    }
    return c.json(gateway.model(caller, id));
  }));

for (const path of Object.keys(ENDPOINTS) as Endpoint[]) {
  v1Api.post(
    path.slice("/v1".length),
    (c) => c.var.deps.gateway.forward(path, { request: c.req.raw, credentials: credentials(c) }),
  );
}

v1Api.all("*", (c) => {
  const path = c.req.path;
  if (isEndpoint(path) || path === "/v1/models" || path.startsWith("/v1/models/")) {
    return errorResponse(
      new GatewayError(
        405,
        "invalid_request_error",
        "method_not_allowed",
        `${c.req.method} is not allowed on ${path}`,
      ),
    );
  }
  return errorResponse(
    new GatewayError(
      404,
      "invalid_request_error",
      "unsupported_endpoint",
      `${path} is not served here: the installed mlx-openai-server serves ${
        Object.keys(ENDPOINTS).join(", ")
      }`,
    ),
  );
});
