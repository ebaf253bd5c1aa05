/**
 * `/api/models`: search, local models, downloads (with pause, resume and
 * cancel) and detection.
 *
 * @module
 */
import { Hono } from "hono";
import { join, normalize } from "node:path";
import { z } from "zod";
import { HttpError } from "../../lib/errors.ts";
import { sseResponse } from "../../lib/sse.ts";
import { streamOptions } from "../streams.ts";
import { readJson, readQuery } from "../validate.ts";
import type { DownloadView } from "../../lib/model_types.ts";
import { detectModelFamily } from "../../services/hub/detection.ts";
import { modelInfo } from "../../services/hub/info.ts";
import { allParsers, suggestParsers } from "../../services/hub/parsers.ts";
import { isModelId } from "../../services/models/cache_layout.ts";
import { readConfigFile } from "../../services/models/scan.ts";
import { adminOnly } from "../middleware/admin_only.ts";
import type { AppEnv } from "../env.ts";

/** The models API. */
export const modelsApi = new Hono<AppEnv>();

const SearchQuery = z.object({
  query: z.string().trim().max(200, "Use at most 200 characters").optional(),
  author: z.string().trim().max(96, "Use at most 96 characters")
    .regex(/^[\w.-]*$/, "Use letters, digits, '.', '_' or '-' (leave empty for any author)")
    .optional(),
  sort: z.enum(["downloads", "likes", "recent", "trending"], {
    error: "Use downloads, likes, recent or trending",
  }).default("downloads"),
  limit: z.coerce.number({ error: "Use a whole number" }).int("Use a whole number")
    .min(1, "Use at least 1").max(100, "Use at most 100").default(20),
  max_size_gb: z.coerce.number({ error: "Use a number of GB" }).positive("Use a positive number of GB")
    .optional(),
});

/** The organisation searched when the request names none. */
export const DEFAULT_AUTHOR = "mlx-community";

modelsApi.get("/search", async (c) => {
  const q = readQuery(c, SearchQuery);
  const results = await c.var.deps.models.search.search({
    query: q.query,
    author: q.author ?? DEFAULT_AUTHOR,
    sort: q.sort,
    limit: q.limit,
    maxSizeGb: q.max_size_gb,
  });
  return c.json(results);
});

modelsApi.get("/local", async (c) => c.json(await c.var.deps.models.local.list()));

modelsApi.get("/storage", async (c) => c.json(await c.var.deps.models.local.storage()));

const DownloadBody = z.object({
  model_id: z.string({ error: "Give the repository id, like mlx-community/Qwen3-8B-4bit" }).trim()
    .min(1, "Give the repository id, like mlx-community/Qwen3-8B-4bit"),
});

modelsApi.post("/download", async (c) => {
  const { model_id } = await readJson(c, DownloadBody);
  const { view, joined } = await c.var.deps.downloads.request(model_id, c.var.user?.id ?? null);
  return c.json({
    task_id: view.task_id,
    model_id: view.model_id,
    status: view.status,
    joined,
    download: view,
  });
});

/**
 * Runs a model in one step (202): its profile (created for an admin when there is none), the download
 * when it is missing, then the start. Users run models that have a profile; creating one is an admin's.
 */
modelsApi.post("/run", async (c) => {
  const { model_id } = await readJson(c, DownloadBody);
  const user = c.var.user!;
  const answer = await c.var.deps.modelRuns.run(model_id, { id: user.id, isAdmin: user.isAdmin });
  return c.json(answer, 202);
});

/** The runs waiting for their download. */
modelsApi.get("/runs", (c) => c.json(c.var.deps.modelRuns.pending()));

modelsApi.get("/downloads", (c) => c.json(c.var.deps.downloads.list()));

modelsApi.get("/downloads/active", (c) => c.json(c.var.deps.downloads.list({ active: true })));

/** The download states a clear removes: every one with no work left. */
const CLEARABLE = new Set(["completed", "failed", "cancelled"]);

/**
 * Removes every finished, failed and cancelled job from the list (a failed job's partial files go
 * too): a user's own, or everyone's for an admin.
 */
modelsApi.post("/downloads/clear", async (c) => {
  const { downloads } = c.var.deps;
  const user = c.var.user!;
  const done = downloads.list().filter((d) =>
    CLEARABLE.has(d.status) && downloads.mayChange(d.task_id, user)
  );
  for (const d of done) await downloads.dismiss(d.task_id, user);
  return c.json({ cleared: done.length, task_ids: done.map((d) => d.task_id) });
});

function job(c: { var: AppEnv["Variables"]; req: { param(name: string): string } }): DownloadView {
  const view = c.var.deps.downloads.get(c.req.param("task"));
  if (!view) throw new HttpError(404, "Download not found");
  return view;
}

modelsApi.get("/download/:task", (c) => c.json(job(c)));

const FINAL = new Set(["completed", "failed", "cancelled"]);

modelsApi.get("/download/:task/progress", (c) => {
  const first = job(c);
  const { bus } = c.var.deps;
  // Clients read plain `data:` messages and close on a final status.
  return sseResponse((sse) => {
    sse.send({ data: first });
    if (FINAL.has(first.status)) return sse.close();
    return bus.subscribe((event) => {
      if (event.type !== "download.update") return;
      const view = event.data as DownloadView;
      if (view.task_id !== first.task_id) return;
      sse.send({ data: view });
      if (FINAL.has(view.status)) sse.close();
    });
  }, streamOptions(c));
});

// A download is its requester's (and the admins'): others may watch it, not pause, resume, cancel or dismiss it.
modelsApi.post(
  "/download/:task/pause",
  async (c) => c.json(await c.var.deps.downloads.pause(c.req.param("task"), c.var.user!)),
);

modelsApi.post(
  "/download/:task/resume",
  (c) => c.json(c.var.deps.downloads.resume(c.req.param("task"), c.var.user!)),
);

modelsApi.post(
  "/download/:task/cancel",
  async (c) => c.json(await c.var.deps.downloads.cancel(c.req.param("task"), c.var.user!)),
);

modelsApi.post("/download/:task/dismiss", async (c) => {
  await c.var.deps.downloads.dismiss(c.req.param("task"), c.var.user!);
  return c.body(null, 204);
});

modelsApi.get("/available-parsers", async (c) => {
  return c.json({ parsers: allParsers(await c.var.deps.models.parserLists()) });
});

modelsApi.get("/config/:id{.+}", async (c) => {
  const id = c.req.param("id");
  if (!isModelId(id)) throw new HttpError(404, `No model ${id}: a model id looks like org/name`);
  const tags = (c.req.query("tags") ?? "").split(",").map((t) => t.trim()).filter(Boolean);
  const characteristics = await c.var.deps.models.characteristics.forModel(id, tags);
  // 204 rather than 404 keeps browser consoles quiet.
  return characteristics ? c.json(characteristics) : c.body(null, 204);
});

/** A repository's files, licence, gating, context length and model card, before any download. */
modelsApi.get("/info/:id{.+}", async (c) => {
  const id = c.req.param("id");
  if (!isModelId(id)) throw new HttpError(404, `No model ${id}: a model id looks like org/name`);
  return c.json(await modelInfo(c.var.deps.models.hub, id));
});

/** Whether `folder` is a profile's model folder or inside the Hugging Face cache. */
function readableFolder(deps: AppEnv["Variables"]["deps"], folder: string): boolean {
  const cache = normalize(deps.config.hfHubCache).replace(/\/+$/, "");
  if (folder === cache || folder.startsWith(`${cache}/`)) return true;
  return deps.profiles.list().some((p) =>
    p.model_path.startsWith("/") && normalize(p.model_path).replace(/\/+$/, "") === folder
  );
}

modelsApi.get("/detect-options/:id{.+}", async (c) => {
  const id = c.req.param("id");
  const { models } = c.var.deps;
  let config = null;
  let downloaded = false;
  if (id.startsWith("/")) {
    // A local folder given as a profile's model path. Users may read only the folders of profiles and
    // the Hugging Face cache; admins (who set profiles' folders anyway) any folder.
    const folder = normalize(id).replace(/\/+$/, "");
    if (c.var.user?.isAdmin || readableFolder(c.var.deps, folder)) {
      config = await readConfigFile(join(folder, "config.json"));
      downloaded = config !== null;
    }
  } else if (isModelId(id)) {
    config = (await models.characteristics.configOffline(id)).config;
    downloaded = await models.local.isDownloaded(id);
  }
  const family = detectModelFamily(config, id);
  const lists = await models.parserLists();
  return c.json({
    model_family: family,
    recommended_options: suggestParsers(id, lists, family),
    is_downloaded: downloaded,
    version_support: {
      supported: true,
      // The manager cannot see the server's Python packages; the server reports a mismatch when it starts.
      installed_version: null,
      required_version: family === "minimax" ? "0.28.4" : null,
      ...(family === "minimax" ? { note: "MiniMax models need mlx-lm 0.28.4 or newer" } : {}),
    },
  });
});

/** Deletes a model from the cache; its finished download jobs go with it (their task ids are answered). */
modelsApi.delete("/:id{.+}", adminOnly("Only an admin can delete models"), async (c) => {
  const force = ["1", "true", "yes"].includes((c.req.query("force") ?? "").toLowerCase());
  const id = c.req.param("id");
  await c.var.deps.models.local.delete(id, { force });
  return c.json({ deleted: true, downloads_removed: c.var.deps.downloads.forgetModel(id) });
});
