/**
 * The options every signed-in SSE stream is opened with (live events, server
 * logs, chat answers, download progress): it ends when the client goes away
 * or when its session does (signed out, user disabled or deleted), sends
 * keep-alive comments, and drops a client that stops reading it.
 *
 * @module
 */
import type { Context } from "hono";
import type { SseOptions } from "../lib/sse.ts";
import { sessionToken } from "./middleware/session_auth.ts";
import type { AppEnv } from "./env.ts";

/**
 * The stream options of a request.
 *
 * @example
 * ```ts
 * return sseResponse((sse) => bus.subscribe((e) => sse.send({ data: e.data })), streamOptions(c));
 * ```
 */
export function streamOptions(c: Context<AppEnv>): SseOptions {
  const { config, sessions } = c.var.deps;
  const user = c.var.user;
  const token = sessionToken(c);
  const watch = user && token ? sessions.watch(token, user) : null;
  return {
    signal: watch ? AbortSignal.any([c.req.raw.signal, watch.signal]) : c.req.raw.signal,
    keepAliveMs: config.sseKeepAlive * 1000,
    stallMs: config.clientTimeout * 1000,
    onClose: watch?.release,
  };
}
