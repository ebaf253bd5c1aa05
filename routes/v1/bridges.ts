/**
 * The protocol bridges on `/v1`: Anthropic Messages (`POST /v1/messages`,
 * `POST /v1/messages/count_tokens`, any query string such as `?beta=true`)
 * and OpenAI Responses (`POST /v1/responses`, `GET` and `DELETE
 * /v1/responses/{id}`). Each answers in its own protocol's shape, errors too.
 *
 * @module
 */
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";
import { credentials } from "./credentials.ts";

/** The bridge routes, mounted on `/v1`. */
export const bridgesApi = new Hono<AppEnv>();

bridgesApi.post(
  "/messages",
  (c) => c.var.deps.bridges.messages({ request: c.req.raw, credentials: credentials(c) }),
);
bridgesApi.post(
  "/messages/count_tokens",
  (c) => c.var.deps.bridges.countTokens({ request: c.req.raw, credentials: credentials(c) }),
);
bridgesApi.on(
  ["GET", "PUT", "PATCH", "DELETE"],
  ["/messages", "/messages/count_tokens"],
  (c) => c.var.deps.bridges.methodNotAllowed("anthropic", credentials(c), c.req.method, c.req.path),
);

bridgesApi.post(
  "/responses",
  (c) => c.var.deps.bridges.responses({ request: c.req.raw, credentials: credentials(c) }),
);
bridgesApi.get("/responses/:id", (c) => c.var.deps.bridges.getResponse(credentials(c), c.req.param("id")));
bridgesApi.delete(
  "/responses/:id",
  (c) => c.var.deps.bridges.deleteResponse(credentials(c), c.req.param("id")),
);
bridgesApi.on(
  ["GET", "PUT", "PATCH", "DELETE"],
  "/responses",
  (c) => c.var.deps.bridges.methodNotAllowed("openai", credentials(c), c.req.method, c.req.path),
);
