/**
 * `/api/upstreams`: the remote servers `/v1` routes to. Admins register,
 * change and remove them; the key is write-only. `GET /machines` is what the
 * dashboard shows every signed-in user: names, states and models, no URLs or
 * keys.
 *
 * @module
 */
import { Hono } from "hono";
import { idParam, readJson } from "../validate.ts";
import { adminOnly } from "../middleware/admin_only.ts";
import { UpstreamInput } from "../../services/upstreams/mod.ts";
import type { AppEnv } from "../env.ts";

/** The upstreams API. */
export const upstreamsApi = new Hono<AppEnv>();

/** Upstreams hold other servers' keys: admins only, but for the machines every user sees. */
const admin = adminOnly("Only admins can see and change upstreams: they hold other servers' keys");

upstreamsApi.get("/machines", (c) => c.json(c.var.deps.upstreams.machines()));

upstreamsApi.get("/", admin, (c) => {
  return c.json(c.var.deps.upstreams.list());
});

upstreamsApi.post("/", admin, async (c) => {
  const input = await readJson(c, UpstreamInput);
  return c.json(await c.var.deps.upstreams.create(input), 201);
});

upstreamsApi.get("/:id", admin, (c) => {
  return c.json(c.var.deps.upstreams.get(idParam(c, "id", "Upstream")));
});

upstreamsApi.put("/:id", admin, async (c) => {
  const id = idParam(c, "id", "Upstream");
  const input = await readJson(c, UpstreamInput);
  return c.json(await c.var.deps.upstreams.update(id, input));
});

upstreamsApi.delete("/:id", admin, (c) => {
  c.var.deps.upstreams.remove(idParam(c, "id", "Upstream"));
  return c.body(null, 204);
});

/** Probes it now and answers what was found. */
upstreamsApi.post("/:id/check", admin, async (c) => {
  return c.json(await c.var.deps.upstreams.check(idParam(c, "id", "Upstream")));
});
