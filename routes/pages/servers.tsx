/**
 * The Servers dashboard page.
 *
 * @module
 */
import { Hono } from "hono";
import { renderPage } from "../render.tsx";
import ServerBoard from "../../islands/ServerBoard.tsx";
import RemoteServers from "../../islands/RemoteServers.tsx";
import RunProgress from "../../islands/RunProgress.tsx";
import type { AppEnv } from "../env.ts";
import { ConnectSection, LastRequestsSection } from "./connect.tsx";

/** Pages under `/servers`. */
export const serversPages = new Hono<AppEnv>();

serversPages.get("/", (c) => {
  const { supervisor, profiles, modelRuns, downloads } = c.var.deps;
  const runs = modelRuns.pending().map((r) => ({ ...r, download: downloads.get(r.download_task_id) }));
  const servers = supervisor.list();
  const summaries = profiles.list().map(({ id, name, model_path, port }) => ({ id, name, model_path, port }));
  return renderPage(
    c,
    <>
      <div class="mb-4 flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 class="page-title">Servers</h1>
          <p class="muted text-sm">Model servers of your profiles, live.</p>
        </div>
        {c.var.user?.isAdmin && <a href="/profiles/new" class="btn btn-primary">New profile</a>}
      </div>
      <ConnectSection c={c} />
      {runs.length > 0 && <RunProgress runs={runs} />}
      <ServerBoard servers={servers} profiles={summaries} canCreate={c.var.user?.isAdmin === true} />
      <RemoteServers machines={c.var.deps.upstreams.machines()} />
      <LastRequestsSection c={c} />
    </>,
    { title: "Servers" },
  );
});
