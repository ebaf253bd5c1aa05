/**
 * `/api/auth`: registration, sign-in and out, and the caller's account (user
 * administration is `/api/auth/users`, in `users.ts`).
 *
 * @module
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { parseWith } from "../../lib/validate.ts";
import { readJson } from "../validate.ts";
import { HttpError } from "../../lib/errors.ts";
import { ChangePasswordInput, LoginInput, RegisterInput } from "../../services/accounts/schemas.ts";
import { clearSessionCookie, setSessionCookie } from "../session.ts";
import { clientAddress } from "../client_info.ts";
import type { AppEnv } from "../env.ts";

/** The auth API. */
export const authApi = new Hono<AppEnv>();

function me(c: Context<AppEnv>) {
  return c.var.user!;
}

async function loginFields(c: Context<AppEnv>): Promise<unknown> {
  const type = c.req.header("content-type")?.split(";")[0].trim().toLowerCase() ?? "";
  if (
    type === "application/x-www-form-urlencoded" ||
    type === "multipart/form-data"
  ) {
    const form = await c.req.parseBody().catch((error) => {
      if (error instanceof HttpError) throw error;
      throw new HttpError(400, "Cannot read body: the form data is malformed");
    });
    return Object.fromEntries(
      Object.entries(form).filter(([, v]) => typeof v === "string"),
    );
  }
  if (/json/.test(type)) {
    const value = await c.req.json().catch((error) => {
      if (error instanceof HttpError) throw error;
      throw new HttpError(400, "Cannot read body: it is not valid JSON");
    });
    // JSON that is not an object (null, a list, a number) has no fields: the schema says which are missing.
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value : {};
  }
  throw new HttpError(
    415,
    "Cannot read body: send a form (username, password) or JSON (email, password)",
  );
}

authApi.post("/register", async (c) => {
  const input = await readJson(c, RegisterInput);
  return c.json(await c.var.deps.accounts.register({ ...input, client: clientAddress(c) }), 201);
});

authApi.post("/login", async (c) => {
  const fields = await loginFields(c);
  const input = parseWith(LoginInput, fields);
  const { token } = await c.var.deps.accounts.login({
    ...input,
    client: clientAddress(c),
  });
  setSessionCookie(c, token);
  return c.json({ access_token: token, token_type: "bearer" });
});

authApi.post("/logout", (c) => {
  c.var.deps.accounts.logout(me(c).id);
  clearSessionCookie(c);
  return c.body(null, 204);
});

authApi.get("/me", (c) => c.json(c.var.deps.accounts.get(me(c).id)));

authApi.post("/password", async (c) => {
  const input = await readJson(c, ChangePasswordInput);
  const token = await c.var.deps.accounts.changePassword(
    me(c).id,
    input.current_password,
    input.new_password,
  );
  setSessionCookie(c, token);
  return c.json({ access_token: token, token_type: "bearer" });
});
