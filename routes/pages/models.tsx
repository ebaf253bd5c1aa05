/**
 * The Models page: search, downloads and the local cache.
 *
 * @module
 */
import { memoryBudgetBytes } from "../../lib/memory_budget.ts";
import { Hono } from "hono";
import { renderPage } from "../render.tsx";
import ModelBrowser from "../../islands/ModelBrowser.tsx";
import type { AppEnv } from "../env.ts";
import { DEFAULT_AUTHOR } from "../api/models.ts";

/** Pages under `/models`. */
export const modelsPages = new Hono<AppEnv>();

modelsPages.get("/", async (c) => {
  const { models, downloads, config } = c.var.deps;
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
      />
    </>,
    { title: "Models" },
  );
});
