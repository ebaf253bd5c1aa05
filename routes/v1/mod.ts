/**
 * `/v1`: the OpenAI endpoint for every model. Mounted before the session
 * middleware: the gateway checks keys itself and answers every error in
 * OpenAI's shape.
 *
 * @module
 */
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";
import { errorResponse } from "../../services/gateway/mod.ts";
import { methodNotAllowed, toGatewayError, unsupportedEndpoint } from "../../services/gateway/errors.ts";
import { type Endpoint, ENDPOINTS, isEndpoint } from "../../services/gateway/endpoints.ts";
import { credentials } from "./credentials.ts";
import { bridgesApi } from "./bridges.ts";

/** The `/v1` routes. */
export const v1Api = new Hono<AppEnv>();

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

// Anthropic Messages and OpenAI Responses, translated onto chat completions.
v1Api.route("/", bridgesApi);

v1Api.all("*", (c) => {
  const path = c.req.path;
  if (isEndpoint(path) || path === "/v1/models" || path.startsWith("/v1/models/")) {
    return errorResponse(methodNotAllowed(c.req.method, path));
  }
  return errorResponse(unsupportedEndpoint(path, Object.keys(ENDPOINTS)));
});
