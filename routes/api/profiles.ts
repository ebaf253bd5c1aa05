/**
 * `/api/profiles`: server profiles.
 *
 * @module
 */
import { Hono } from "hono";
import { z } from "zod";
import { idParam, readJson, readQuery } from "../validate.ts";
import { adminOnly } from "../middleware/admin_only.ts";
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

profilesApi.post("/", adminOnly("Only an admin can create profiles"), async (c) => {
  const { profiles } = c.var.deps;
  const input = await readJson(c, (await profiles.schemas()).create);
  // A folder that does not exist or a repository the hub does not know is refused; an offline hub is not asked.
  await profiles.checkModelPath(input.model_path);
  return c.json(await profiles.create(input), 201);
});

profilesApi.put("/:id", adminOnly("Only an admin can edit profiles"), async (c) => {
  const { profiles } = c.var.deps;
  // A missing profile answers 404 before its body is read.
  const profile = profiles.get(idParam(c, "id", "Profile"));
  const input = await readJson(c, (await profiles.schemas()).update);
  await profiles.checkModelPath(input.model_path, profile);
  const saved = await profiles.update(profile.id, input);
  // A running server keeps the settings it was started with until it is restarted.
  const pending = c.var.deps.supervisor.status(profile.id).pending_restart === true;
  return c.json({ ...saved, pending_restart: pending });
});

profilesApi.delete("/:id", adminOnly("Only an admin can delete profiles"), async (c) => {
  await c.var.deps.profiles.remove(idParam(c, "id", "Profile"));
  return c.body(null, 204);
});

profilesApi.post("/:id/duplicate", adminOnly("Only an admin can duplicate profiles"), async (c) => {
  const { profiles } = c.var.deps;
  // A missing profile answers 404 before its query is read.
  const profile = profiles.get(idParam(c, "id", "Profile"));
  const { new_name } = readQuery(c, DuplicateQuery);
  return c.json(await profiles.duplicate(profile.id, new_name), 201);
});
