/**
 * Input schemas of the accounts API, validated once at the boundary.
 *
 * @module
 */
import { z } from "zod";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./passwords.ts";
import { USER_STATUSES } from "../../db/users.ts";
import { LimitsInput } from "../limits/schemas.ts";

/** An email address: trimmed, with a plausible shape. */
export const Email = z.string({ error: "Email is required" })
  .trim()
  .min(1, "Email is required")
  .max(254, "Email is too long")
  .regex(/^[^\s@]+@[^\s@]+$/, "Enter a valid email address");

/** A new password under the policy. */
export const NewPassword = z.string({ error: "Password is required" })
  .min(
    MIN_PASSWORD_LENGTH,
    `Password must be at least ${MIN_PASSWORD_LENGTH} characters`,
  )
  .max(
    MAX_PASSWORD_LENGTH,
    `Password must be at most ${MAX_PASSWORD_LENGTH} characters`,
  );

/** `POST /api/auth/register`. */
export const RegisterInput = z.object({ email: Email, password: NewPassword });

/** `POST /api/auth/login`, as JSON (`email` or OAuth2's `username`) or form fields. */
export const LoginInput = z.object({
  email: z.string().trim().optional(),
  username: z.string().trim().optional(),
  password: z.string({ error: "Password is required" }).min(
    1,
    "Password is required",
  ).max(MAX_PASSWORD_LENGTH),
  grant_type: z.literal("password", { error: 'grant_type must be "password"' })
    .optional(),
}).transform((v) => ({
  email: v.email || v.username || "",
  password: v.password,
}))
  .refine((v) => v.email !== "", {
    message: "Email is required",
    path: ["email"],
  });

/** `PUT /api/auth/users/{id}`: only the keys present are applied. */
export const UserUpdateInput = z.strictObject({
  email: Email.optional(),
  is_admin: z.boolean({ error: "is_admin must be true or false" }).optional(),
  status: z.enum(USER_STATUSES, {
    error: `status must be one of ${USER_STATUSES.join(", ")}`,
  }).optional(),
  /** The user's limits, binding all their keys together (every field; absent ones become null). */
  limits: LimitsInput.optional(),
}, {
  error: (issue) =>
    issue.code === "unrecognized_keys" ? `Unknown field: ${issue.keys.join(", ")}` : undefined,
});

/** `POST /api/auth/users/{id}/reset-password`. */
export const ResetPasswordInput = z.object({ password: NewPassword });

/** `POST /api/auth/password`. */
export const ChangePasswordInput = z.object({
  current_password: z.string({ error: "Current password is required" }).min(
    1,
    "Current password is required",
  ),
  new_password: NewPassword,
});
