/**
 * Renders a page: the document, the app shell and the islands payload, in one
 * synchronous render. App glue, so it lives with the routes: it reads the
 * request's dependencies and user, and loads what the shell shows before the
 * render starts.
 *
 * @module
 */
import type { Context } from "hono";
import type { VNode } from "preact";
import * as islands from "../islands/mod.ts";
import { registerIslands, renderIslands } from "../lib/islands/server.tsx";
import { Document } from "../components/Document.tsx";
import { Shell } from "../components/Shell.tsx";
import type { AppEnv } from "./env.ts";
import { getCookie } from "hono/cookie";
import { parseTheme, THEME_COOKIE } from "../lib/theme.ts";

registerIslands(islands);

/** Options of {@link renderPage}. */
export interface RenderPageOptions {
  /** The page title. */
  title: string;
  /** The HTTP status. @default 200 */
  status?: number;
  /** Render without the navbar (login, register). @default false */
  bare?: boolean;
}

/**
 * Renders `body` inside the document and shell and answers with HTML. Load
 * data before calling: the render is synchronous and cannot await.
 *
 * @example
 * ```tsx
 * pages.get("/servers", (c) => renderPage(c, <ServersPage servers={list} />, { title: "Servers" }));
 * ```
 */
export function renderPage(
  c: Context<AppEnv>,
  body: VNode,
  options: RenderPageOptions,
): Response {
  const { manifest, config, accounts, metrics } = c.var.deps;
  const user = c.var.user ?? null;
  const shellUser = user && { email: user.email, isAdmin: user.isAdmin };
  const theme = parseTheme(getCookie(c, THEME_COOKIE));
  // Read before the render, which only turns values into HTML.
  const pendingUsers = !options.bare && user?.isAdmin ? accounts.pendingCount() : 0;
  const memory = user ? metrics.latest()?.memory ?? null : null;
  const tree = (
    <Document
      title={options.title}
      theme={theme}
      css={manifest.css}
      assets={manifest.assets}
      devReload={config.dev}
    >
      {options.bare ? body : (
        <Shell
          path={c.req.path}
          user={shellUser}
          theme={theme}
          pendingUsers={pendingUsers}
          memory={memory}
        >
          {body}
        </Shell>
      )}
    </Document>
  );
  const { html } = renderIslands(tree);
  return c.html(`<!DOCTYPE html>${html}`, (options.status ?? 200) as 200);
}
