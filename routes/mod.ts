/**
 * Builds the Hono app from its dependencies: middleware, every area's routes,
 * and the one error mapping.
 *
 * @module
 */
import { Hono } from "hono";
import { serveAssets } from "../lib/assets.ts";
import { requestLog, securityHeaders } from "../lib/http.ts";
import { devReload } from "../lib/dev_reload.ts";
import type { AppDeps, AppEnv } from "./env.ts";
import { notFound, onError } from "./errors.tsx";
import { eventsApi } from "./api/events.ts";
import { serversPages } from "./pages/servers.tsx";
import { authApi } from "./api/auth.ts";
import { authPages } from "./pages/auth.tsx";
import { usersPages } from "./pages/users.tsx";
import { bodyLimitFor, hostCheck, sessionAuth } from "./access.ts";
import { bodyLimit } from "../lib/body_limit.ts";
import { profilesApi } from "./api/profiles.ts";
import { serversApi } from "./api/servers.ts";
import { parserOptionsApi } from "./api/parser_options.ts";
import { profilesPages } from "./pages/profiles.tsx";
import { chatApi } from "./api/chat.ts";
import { mcpApi, toolConfirmationsApi } from "./api/mcp.ts";
import { conversationsApi } from "./api/conversations.ts";
import { chatPages } from "./pages/chat.tsx";
import { modelsApi } from "./api/models.ts";
import { modelsPages } from "./pages/models.tsx";
import { systemInfoApi } from "./api/system_info.ts";
import { launchdApi } from "./api/launchd.ts";
import { systemPages } from "./pages/system.tsx";
import { v1Api } from "./v1/mod.ts";
import { metricsRoute } from "./metrics.ts";
import { keysApi } from "./api/keys.ts";
import { activityApi } from "./api/activity.ts";
import { usageApi } from "./api/usage.ts";
import { keysPages } from "./pages/keys.tsx";
import { activityPages } from "./pages/activity.tsx";
import { upstreamsApi } from "./api/upstreams.ts";
import { upstreamsPages } from "./pages/upstreams.tsx";

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
  if (deps.config.dev) app.route("/_dev", devReload(options.buildDir));
  // Before the session middleware: /v1 takes API keys and answers in OpenAI's shape.
  app.route("/v1", v1Api);
  // Also before it: a scraper sends an admin's key or the metrics token, never a session.
  app.route("/metrics", metricsRoute);
  app.use(sessionAuth());

  app.get("/health", (c) => c.json({ status: "healthy" }));
  app.get("/", (c) => c.redirect("/servers"));
  app.get("/favicon.ico", (c) => c.redirect("/static/favicon.svg", 301));

  app.route("/api/auth", authApi);
  app.route("/api/events", eventsApi);
  app.route("/api/profiles", profilesApi);
  app.route("/api/servers", serversApi);
  app.route("/api/system/parser-options", parserOptionsApi);
  app.route("/api/chat/tool-confirmations", toolConfirmationsApi);
  app.route("/api/chat", chatApi);
  app.route("/api/mcp", mcpApi);
  app.route("/api/conversations", conversationsApi);
  app.route("/", authPages);
  app.route("/servers", serversPages);
  app.route("/users", usersPages);
  app.route("/profiles", profilesPages);
  app.route("/chat", chatPages);
  app.route("/api/models", modelsApi);
  app.route("/models", modelsPages);
  app.route("/api/system", systemInfoApi);
  app.route("/api/system/launchd", launchdApi);
  app.route("/system", systemPages);
  app.route("/api/keys", keysApi);
  app.route("/api/activity", activityApi);
  app.route("/api/usage", usageApi);
  app.route("/api/upstreams", upstreamsApi);
  app.route("/keys", keysPages);
  app.route("/activity", activityPages);
  app.route("/upstreams", upstreamsPages);

  app.notFound(notFound);
  app.onError(onError);
  return app;
}
