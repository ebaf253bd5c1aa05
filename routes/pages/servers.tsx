/**
 * The Servers dashboard page.
 *
 * @module
 */
import { Hono } from "hono";
import { renderPage } from "../../lib/render.tsx";
import ServerBoard from "../../islands/ServerBoard.tsx";
import type { AppEnv } from "../env.ts";

/** Pages under `/servers`. */
export const serversPages = new Hono<AppEnv>();

serversPages.get("/", (c) => {
  return renderPage(
    c,
    <>
      <h1 class="page-title mb-4">Servers</h1>
      <ServerBoard servers={[]} />
    </>,
    { title: "Servers" },
  );
});
