/**
 * `GET /metrics`: the Prometheus exposition, for an admin's key or session,
 * or the `MLX_MANAGER_METRICS_TOKEN` as a Bearer token. Mounted before the
 * session middleware (a scraper sends a key, not a session) and after the
 * Host check, like `/v1`.
 *
 * @module
 */
import { Hono } from "hono";
import type { AppEnv } from "./env.ts";
import { credentials } from "./v1/credentials.ts";
import { sameHash } from "../services/keys/format.ts";

/** The metrics route. */
export const metricsRoute = new Hono<AppEnv>();

const CHALLENGE = { "WWW-Authenticate": 'Bearer realm="mlx-manager metrics"' };

metricsRoute.get("/", async (c) => {
  const { config, gateway, prometheus } = c.var.deps;
  const presented = credentials(c);
  const token = config.metricsToken;
  let allowed = token !== null && presented.bearer !== null && sameHash(presented.bearer, token);
  if (!allowed) {
    const caller = await gateway.authenticate(presented).catch(() => null);
    if (caller?.userId != null && !caller.isAdmin) {
      return c.text("Metrics are for admins: use an admin's key or MLX_MANAGER_METRICS_TOKEN\n", 403);
    }
    allowed = caller?.isAdmin === true;
  }
  if (!allowed) {
    return c.text(
      "Send an admin's API key or MLX_MANAGER_METRICS_TOKEN as Authorization: Bearer <token>\n",
      401,
      CHALLENGE,
    );
  }
  return c.body(await prometheus.text(), 200, {
    "content-type": prometheus.contentType,
    "cache-control": "no-store",
  });
});
