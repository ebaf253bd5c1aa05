/**
 * `/api/keys`: the signed-in user's API keys for `/v1`. The key itself is in
 * the creation answer only; lists never show it. Admins list everyone's with
 * `?all=1` and may revoke any key. `PUT /api/keys/{id}` replaces a key's
 * limits: its owner within their own account's limits, an admin any.
 *
 * @module
 */
import { Hono } from "hono";
import { z } from "zod";
import { idParam, readJson, readQuery } from "../validate.ts";
import { CreateKeyInput, UpdateKeyInput } from "../../services/keys/mod.ts";
import type { AppEnv } from "../env.ts";

/** The keys API. */
export const keysApi = new Hono<AppEnv>();

const ListQuery = z.object({ all: z.enum(["0", "1", "true", "false"]).optional() });

keysApi.get("/", (c) => {
  const { all } = readQuery(c, ListQuery);
  const user = c.var.user!;
  return c.json(c.var.deps.keys.list(user, { all: all === "1" || all === "true" }));
});

keysApi.post("/", async (c) => {
  const input = await readJson(c, CreateKeyInput);
  c.header("cache-control", "no-store");
  const user = c.var.user!;
  return c.json(await c.var.deps.keys.create(user.id, input, user), 201);
});

keysApi.put("/:id", async (c) => {
  const id = idParam(c, "id", "API key");
  const input = await readJson(c, UpdateKeyInput);
  return c.json(c.var.deps.keys.setLimits(c.var.user!, id, input.limits));
});

keysApi.delete("/:id", (c) => {
  c.var.deps.keys.revoke(c.var.user!, idParam(c, "id", "API key"));
  return c.body(null, 204);
});
