/**
 * The Users page (admins only).
 *
 * @module
 */
import { Hono } from "hono";
import { renderPage } from "../render.tsx";
import UsersTable from "../../islands/UsersTable.tsx";
import { adminOnly } from "../middleware/admin_only.ts";
import type { AppEnv } from "../env.ts";

/** Pages under `/users`. */
export const usersPages = new Hono<AppEnv>();

usersPages.use(adminOnly());

usersPages.get("/", (c) => {
  const { accounts } = c.var.deps;
  const users = accounts.list().map((
    { id, email, is_admin, status, created_at, limits },
  ) => ({ id, email, is_admin, status, created_at, limits }));
  return renderPage(
    c,
    <>
      <div class="mb-4 flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 class="page-title">Users</h1>
          <p class="muted text-sm">
            Approve registrations and manage who can use this manager.
          </p>
        </div>
      </div>
      <UsersTable users={users} meId={c.var.user!.id} />
    </>,
    { title: "Users" },
  );
});
