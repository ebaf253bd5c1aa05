/**
 * The one admin check: a router that only admins may use mounts
 * `adminOnly()` for all its routes, and a router that everyone signed in
 * reads puts it before each handler that changes a shared thing. A route
 * added under either is covered where it is written; no list elsewhere names it.
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { AppError } from "../../lib/errors.ts";
import type { AppEnv } from "../env.ts";

/** Every middleware {@link adminOnly} made, so the access rules can find the routers it guards. */
const guards = new WeakSet<object>();

/**
 * Refuses (403) a request of anyone but a signed-in admin, with `message`.
 *
 * @example
 * ```ts
 * launchdApi.use(adminOnly());                                              // every route of the router
 * profilesApi.post("/", adminOnly("Only an admin can create profiles"), create); // one route
 * ```
 */
export function adminOnly(message = "Admin access required"): MiddlewareHandler<AppEnv> {
  const guard: MiddlewareHandler<AppEnv> = async function adminOnly(c, next) {
    if (!c.var.user?.isAdmin) throw new AppError("forbidden", message);
    await next();
  };
  guards.add(guard);
  return guard;
}

/**
 * Whether `handler` is a middleware made by {@link adminOnly}.
 *
 * @example
 * ```ts
 * app.routes.filter((r) => isAdminGuard(r.handler)); // the admin-only routes and routers
 * ```
 */
export function isAdminGuard(handler: unknown): boolean {
  return typeof handler === "function" && guards.has(handler);
}
