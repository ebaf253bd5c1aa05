/**
 * Sign-in, registration and sign-out pages.
 *
 * @module
 */
import { Hono } from "hono";
import type { ComponentChildren } from "preact";
import { renderPage } from "../render.tsx";
import { safeNext } from "../../lib/safe_next.ts";
import LoginForm from "../../islands/LoginForm.tsx";
import RegisterForm from "../../islands/RegisterForm.tsx";
import { Alert } from "../../components/ui/Field.tsx";
import { clearSessionCookie } from "../session.ts";
import type { AppEnv } from "../env.ts";

/** Pages at the root: `/login`, `/register`, `/logout`. */
export const authPages = new Hono<AppEnv>();

function AuthCard(
  { title, children, footer }: {
    title: string;
    children: ComponentChildren;
    footer: ComponentChildren;
  },
) {
  return (
    <main class="flex min-h-screen items-center justify-center px-4 py-12">
      <div class="w-full max-w-sm">
        <div class="mb-6 flex flex-col items-center gap-2 text-center">
          <img src="/static/favicon.svg" alt="" width="40" height="40" />
          <h1 class="page-title">{title}</h1>
          <p class="muted text-sm">MLX Manager</p>
        </div>
        <div class="card p-6">{children}</div>
        <p class="mt-4 text-center text-sm muted">{footer}</p>
      </div>
    </main>
  );
}

authPages.get("/login", (c) => {
  const next = safeNext(c.req.query("next"));
  if (c.var.user) return c.redirect(next);
  const register = `/register${next === "/servers" ? "" : `?next=${encodeURIComponent(next)}`}`;
  const fresh = c.var.deps.accounts.list().length === 0;
  return renderPage(
    c,
    <AuthCard
      title="Sign in"
      footer={
        <>
          No account yet?{" "}
          <a
            class="text-indigo-600 hover:underline dark:text-indigo-400"
            href={register}
          >
            Register
          </a>
        </>
      }
    >
      {fresh && (
        <div class="mb-4" data-testid="first-account">
          <Alert kind="info">
            No account exists yet.{" "}
            <a class="font-medium underline" href={register}>Register</a>: the first account becomes the
            admin.
          </Alert>
        </div>
      )}
      <LoginForm next={next} />
    </AuthCard>,
    { title: "Sign in", bare: true },
  );
});

authPages.get("/register", (c) => {
  const next = safeNext(c.req.query("next"));
  if (c.var.user) return c.redirect(next);
  const first = c.var.deps.accounts.list().length === 0;
  return renderPage(
    c,
    <AuthCard
      title="Create an account"
      footer={
        <>
          Already registered?{" "}
          <a
            class="text-indigo-600 hover:underline dark:text-indigo-400"
            href="/login"
          >
            Sign in
          </a>
        </>
      }
    >
      <RegisterForm next={next} first={first} />
    </AuthCard>,
    { title: "Register", bare: true },
  );
});

authPages.post("/logout", (c) => {
  c.var.deps.accounts.logout(c.var.user!.id);
  clearSessionCookie(c);
  return c.redirect("/login", 303);
});
