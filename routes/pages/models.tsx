/**
 * The Models page (search, downloads and the local cache) and each model's
 * page (its card, files, fit, Run and Download).
 *
 * @module
 */
import { memoryBudgetBytes } from "../../lib/memory_budget.ts";
import { Hono } from "hono";
import { renderPage } from "../render.tsx";
import ModelBrowser from "../../islands/ModelBrowser.tsx";
import type { AppEnv } from "../env.ts";
import { DEFAULT_AUTHOR } from "../api/models.ts";
import ModelActions from "../../islands/ModelActions.tsx";
import ModelReadme from "../../islands/ModelReadme.tsx";
import { FitBadge, fitSentence, ModelBadges } from "../../components/models/Badges.tsx";
import { HttpError } from "../../lib/errors.ts";
import { formatBytes } from "../../lib/format.ts";
import { fitVerdict } from "../../services/hub/fit.ts";
import { modelInfo } from "../../services/hub/info.ts";
import { isModelId } from "../../services/models/cache_layout.ts";
import { createProfileUrl } from "../../lib/profile_link.ts";
import { searchFromParams } from "../../lib/client/model_search.ts";

/** Pages under `/models`. */
export const modelsPages = new Hono<AppEnv>();

modelsPages.get("/", async (c) => {
  const { models, downloads, config, profiles } = c.var.deps;
  const [local, storage] = await Promise.all([models.local.list(), models.local.storage()]);
  return renderPage(
    c,
    <>
      <div class="mb-4">
        <h1 class="page-title">Models</h1>
        <p class="muted text-sm">
          Find MLX models on Hugging Face, download them, and manage the local cache.
        </p>
      </div>
      <ModelBrowser
        local={local}
        downloads={downloads.list()}
        storage={storage}
        totalMemory={models.totalMemory()}
        memoryBudget={memoryBudgetBytes(models.totalMemory(), config.maxMemoryPercent)}
        hubUrl={config.hfEndpoint}
        hasToken={config.hfToken !== null}
        defaultAuthor={DEFAULT_AUTHOR}
        offline={config.offline}
        isAdmin={c.var.user?.isAdmin === true}
        withProfile={profiles.list().map((p) => p.model_path.toLowerCase())}
        search={searchFromParams(new URL(c.req.url).searchParams, DEFAULT_AUTHOR)}
      />
    </>,
    { title: "Models" },
  );
});

/** Files whose bytes are the model's weights (what must fit in memory). */
const WEIGHTS = /\.(safetensors|npz|gguf)$/;

modelsPages.get("/:org/:name", async (c) => {
  const { models, downloads, config, modelRuns } = c.var.deps;
  const id = `${c.req.param("org")}/${c.req.param("name")}`;
  if (!isModelId(id)) throw new HttpError(404, `No model ${id}: a model id looks like org/name`);
  const [info, characteristics, inCache] = await Promise.all([
    // Offline, the hub is not asked: the page says so and still offers Run for a local model.
    models.hub.offline ? null : modelInfo(models.hub, id),
    models.characteristics.forModel(id).catch(() => null),
    models.local.isDownloaded(id),
  ]);
  const local = inCache ? await models.local.get(id) : null;
  const weights = info
    ? info.files.filter((f) => WEIGHTS.test(f.path)).reduce((n, f) => n + f.size, 0)
    : local?.weights_bytes ?? 0;
  const fit = fitVerdict(
    weights || null,
    characteristics,
    models.totalMemory(),
    config.maxMemoryPercent / 100,
  );
  const job = downloads.list({ active: true }).find((d) => d.model_id === id) ?? null;
  // A download under way has written its small files first: the model is there once it completes.
  const downloaded = inCache && job === null;
  const isAdmin = c.var.user?.isAdmin === true;
  const gated = info?.gated ?? false;
  return renderPage(
    c,
    <>
      <div class="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div class="min-w-0">
          <p class="text-sm">
            <a href="/models" class="muted hover:underline">← Models</a>
          </p>
          <h1 class="page-title break-all" data-testid="model-id">{id}</h1>
          {info
            ? (
              <p class="muted text-sm" data-testid="model-facts">
                {formatBytes(info.total_bytes)} in {info.files.length} files
                {info.context_length
                  ? ` · ${info.context_length.toLocaleString("en")} tokens of context`
                  : ""}
                {` · licence ${info.license ?? "not stated"}`}
                {info.gated ? " · gated" : ""}
                {" · "}
                <a
                  href={`${config.hfEndpoint}/${id}`}
                  target="_blank"
                  rel="noopener noreferrer"
                  class="hover:underline"
                >
                  Hugging Face ↗
                </a>
              </p>
            )
            : (
              <p class="muted text-sm" data-testid="model-offline">
                Offline mode is on (MLX_MANAGER_OFFLINE): Hugging Face is not contacted, so the model card and
                files are not shown.{local ? ` ${formatBytes(local.size_bytes)} on disk.` : ""}
              </p>
            )}
        </div>
        <div class="flex items-center gap-2">
          <FitBadge fit={fit} />
        </div>
      </div>
      <div class="space-y-4">
        <section class="card space-y-3" aria-label="Run or download">
          <ModelBadges c={characteristics} gated={gated} />
          <p class="muted text-sm" data-testid="fit-detail">
            {fitSentence(fit, characteristics?.parameter_count ?? null)}
          </p>
          {(info || inCache) && (
            <ModelActions
              modelId={id}
              downloaded={downloaded}
              download={job}
              locked={gated !== false && config.hfToken === null}
              hubUrl={config.hfEndpoint}
              createProfileUrl={isAdmin ? createProfileUrl(id, characteristics, {}) : null}
              canRun={isAdmin || modelRuns.profileFor(id) !== null}
            />
          )}
        </section>
        {info && (
          // A card's long words and URLs wrap instead of widening the page on a phone.
          <section class="card wrap-anywhere" aria-label="Model card">
            <h2 class="mb-3 font-semibold">Model card</h2>
            {info.readme
              ? <ModelReadme text={info.readme} />
              : (
                <p class="muted text-sm" data-testid="model-readme-missing">
                  {info.readme_hidden
                    ? `The model card is hidden until Hugging Face grants you access to this gated model: ${
                      config.hfToken === null
                        ? "accept its licence on Hugging Face, then set HF_TOKEN."
                        : "accept its licence on Hugging Face with the account of HF_TOKEN."
                    }`
                    : "This repository has no README."}
                </p>
              )}
          </section>
        )}
        {info && (
          <section class="card" aria-label="Files">
            <h2 class="mb-3 font-semibold">Files</h2>
            <table class="w-full text-sm" data-testid="model-files">
              <tbody>
                {info.files.map((f) => (
                  <tr key={f.path} class="border-t border-slate-100 dark:border-slate-800">
                    <td class="mono break-all py-1 pr-3">{f.path}</td>
                    <td class="py-1 text-right whitespace-nowrap">{formatBytes(f.size)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
      </div>
    </>,
    { title: id },
  );
});
