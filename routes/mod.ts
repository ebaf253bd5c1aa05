/**
 * Builds the Hono app from its dependencies: middleware, every area's routes,
 * and the one error mapping.
 *
 * @module
 */
import { Hono } from "hono";
import { bodyLimitFor } from "../lib/body_limits.ts";
import type { AppDeps, AppEnv } from "./env.ts";
import { notFound, onError } from "./errors.tsx";
import { bodyLimit } from "./middleware/body_limit.ts";
import { devReload } from "./middleware/dev_reload.ts";
import { hostCheck } from "./middleware/host_check.ts";
import { requestLog } from "./middleware/request_log.ts";
import { securityHeaders } from "./middleware/security_headers.ts";
import { serveAssets } from "./middleware/serve_assets.ts";
import { sessionAuth } from "./middleware/session_auth.ts";
import { ROUTERS } from "./routers.ts";
import { v1Api } from "./v1/mod.ts";
import { metricsRoute } from "./metrics.ts";

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  /** Folder of built assets (tests may point elsewhere). */
  buildDir?: string;
}

/**
 * Creates the web app.
 *
 * @example
 * ```ts
 * const app = createApp(deps);
 * const res = await app.request("/health"); // 200 {"status":"healthy"}
 * ```
 */
export function createApp(
  deps: AppDeps,
  options: CreateAppOptions = {},
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(requestLog(deps.logger));
  app.use(securityHeaders());
  app.use(async function provideDeps(c, next) {
    c.set("deps", deps);
    c.set("user", null);
    await next();
  });
  app.use(hostCheck(deps.config.allowedHosts));
  app.use(bodyLimit(bodyLimitFor));
  app.use(serveAssets({ dev: deps.config.dev, buildDir: options.buildDir }));
  if (deps.config.dev) app.use(devReload(options.buildDir));
  // Before the session middleware: /v1 takes API keys and answers in OpenAI's shape.
  app.route("/v1", v1Api);
  // Also before it: a scraper sends an admin's key or the metrics token, never a session.
  app.route("/metrics", metricsRoute);
  app.use(sessionAuth());

  app.get("/health", (c) => c.json({ status: "healthy" }));
  app.get("/", (c) => c.redirect("/servers"));
  app.get("/favicon.ico", (c) => c.redirect("/static/favicon.svg", 301));
  for (const [path, router] of ROUTERS) app.route(path, router);

  app.notFound(notFound);
  app.onError(onError);
  return app;
}
