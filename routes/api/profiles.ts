/**
 * `/api/profiles`: server profiles (the reference's paths and shapes).
 *
 * @module
 */
import { Hono } from "hono";
import { z } from "zod";
import { idParam, readJson, readQuery } from "../../lib/validate.ts";
import type { AppEnv } from "../env.ts";

/** The profiles API. */
export const profilesApi = new Hono<AppEnv>();

const DuplicateQuery = z.object({
  new_name: z.string({ error: "new_name is required: the name of the copy" })
    .trim()
    .min(1, "new_name is required: the name of the copy")
    .max(100, "new_name must be at most 100 characters"),
});

profilesApi.get("/", (c) => c.json(c.var.deps.profiles.list()));

// Declared before "/:id" so it is not taken for an id.
profilesApi.get("/next-port", async (c) => c.json({ port: await c.var.deps.profiles.nextPort() }));

profilesApi.get("/:id", (c) => c.json(c.var.deps.profiles.get(idParam(c, "id", "Profile"))));

profilesApi.post("/", async (c) => {
  const { profiles } = c.var.deps;
  const input = await readJson(c, (await profiles.schemas()).create);
  return c.json(await profiles.create(input), 201);
});

profilesApi.put("/:id", async (c) => {
  const { profiles } = c.var.deps;
  // A missing profile answers 404 before its body is read.
  const profile = profiles.get(idParam(c, "id", "Profile"));
  const input = await readJson(c, (await profiles.schemas()).update);
  return c.json(await profiles.update(profile.id, input));
});

profilesApi.delete("/:id", async (c) => {
  await c.var.deps.profiles.remove(idParam(c, "id", "Profile"));
  return c.body(null, 204);
});

profilesApi.post("/:id/duplicate", async (c) => {
  const { profiles } = c.var.deps;
  // A missing profile answers 404 before its query is read.
  const profile = profiles.get(idParam(c, "id", "Profile"));
  const { new_name } = readQuery(c, DuplicateQuery);
  return c.json(await profiles.duplicate(profile.id, new_name), 201);
});
