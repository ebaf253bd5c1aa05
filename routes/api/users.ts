/**
 * `/api/auth/users` (admins only): the accounts, their approval, roles and
 * password resets.
 *
 * @module
 */
import { Hono } from "hono";
import { ResetPasswordInput, UserUpdateInput } from "../../services/accounts/schemas.ts";
import { adminOnly } from "../middleware/admin_only.ts";
import { idParam, readJson } from "../validate.ts";
import type { AppEnv } from "../env.ts";

/** The user administration API. */
export const usersApi = new Hono<AppEnv>();

usersApi.use(adminOnly());

usersApi.get("/", (c) => c.json(c.var.deps.accounts.list()));

usersApi.get("/pending/count", (c) => c.json({ count: c.var.deps.accounts.pendingCount() }));

usersApi.put("/:id", async (c) => {
  const id = idParam(c, "id", "User");
  const input = await readJson(c, UserUpdateInput);
  return c.json(c.var.deps.accounts.update(c.var.user!.id, id, input));
});

usersApi.delete("/:id", (c) => {
  c.var.deps.accounts.remove(idParam(c, "id", "User"));
  return c.body(null, 204);
});

usersApi.post("/:id/reset-password", async (c) => {
  const id = idParam(c, "id", "User");
  const input = await readJson(c, ResetPasswordInput);
  await c.var.deps.accounts.resetPassword(id, input.password);
  return c.json({ message: "Password reset successfully" });
});
