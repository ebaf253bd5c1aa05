/**
 * The Chat page.
 *
 * @module
 */
import { Hono } from "hono";
import { renderPage } from "../../lib/render.tsx";
import type { AppEnv } from "../env.ts";

/** Pages under `/chat`. */
export const chatPages = new Hono<AppEnv>();

chatPages.get("/", (c) => renderPage(c, <h1 class="page-title">Chat</h1>, { title: "Chat" }));
