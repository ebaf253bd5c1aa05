/**
 * The Machines page (admins): the upstreams, other machines' servers behind this endpoint.
 *
 * @module
 */
import { Hono } from "hono";
import { renderPage } from "../render.tsx";
import UpstreamsManager from "../../islands/UpstreamsManager.tsx";
import { adminOnly } from "../middleware/admin_only.ts";
import type { AppEnv } from "../env.ts";

/** Pages under `/upstreams`. */
export const upstreamsPages = new Hono<AppEnv>();

upstreamsPages.use(adminOnly("Only admins can manage upstreams"));

upstreamsPages.get("/", (c) => {
  return renderPage(
    c,
    <>
      <div class="mb-4">
        <h1 class="page-title">Machines</h1>
        <p class="muted text-sm">
          Upstreams: other Macs' MLX Managers, exo clusters and any OpenAI-compatible server, behind this
          Mac's <span class="mono">/v1</span>{" "}
          endpoint with the same keys. Each machine decides what it loads; keys are stored encrypted and never
          shown.
        </p>
      </div>
      <UpstreamsManager upstreams={c.var.deps.upstreams.list()} />
    </>,
    { title: "Machines" },
  );
});
