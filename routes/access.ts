/**
 * Access rules: which paths anyone may reach, and which only admins may.
 *
 * A route added anywhere needs a session unless its path is listed here as
 * public; a route added under a router that mounts `adminOnly()` needs an
 * admin, which {@link isAdminPath} reads from the routers themselves.
 *
 * @module
 */
import { isAdminGuard } from "./middleware/admin_only.ts";
import { ROUTERS } from "./routers.ts";

/** Paths anyone may reach, exactly. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set([
  "/health",
  "/login",
  "/register",
  "/favicon.ico",
  "/api/auth/login",
  "/api/auth/register",
]);

/** Path prefixes anyone may reach: static assets and the development reload stream. */
export const PUBLIC_PREFIXES: readonly string[] = [
  "/_build/",
  "/static/",
  "/_dev/",
];

/** Whether a path needs no session. */
export function isPublicPath(path: string): boolean {
  return PUBLIC_PATHS.has(path) ||
    PUBLIC_PREFIXES.some((p) => path.startsWith(p));
}

/** The folders a router-wide `adminOnly()` guards (`/users` for `usersPages.use(adminOnly())`). */
function adminFolders(): string[] {
  const folders: string[] = [];
  for (const [mount, router] of ROUTERS) {
    for (const route of router.routes) {
      if (route.method !== "ALL" || !route.path.endsWith("*") || !isAdminGuard(route.handler)) continue;
      const inner = route.path.slice(0, -1).replace(/\/$/, "");
      folders.push(`${mount.replace(/\/$/, "")}${inner}`);
    }
  }
  return folders;
}

/**
 * Whether every request on a path needs an admin: the path lies under a
 * router that mounts `adminOnly()` for all its routes. (Routes of shared
 * routers that only admins may call put `adminOnly()` before their handler.)
 *
 * @example
 * ```ts
 * isAdminPath("/users");           // true: usersPages.use(adminOnly())
 * isAdminPath("/api/profiles/3");  // false: everyone reads profiles
 * ```
 */
export function isAdminPath(path: string): boolean {
  return adminFolders().some((folder) => path === folder || path.startsWith(`${folder}/`));
}
