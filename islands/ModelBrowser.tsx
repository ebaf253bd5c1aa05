import { useSignal } from "@preact/signals";
import { ConfirmDialog } from "../components/ui/Dialog.tsx";
import { BoundInput } from "../components/ui/Field.tsx";
import { DownloadProgress } from "../components/models/DownloadProgress.tsx";
import { FilterChips } from "../components/models/FilterChips.tsx";
import { LocalModelCard } from "../components/models/LocalModelCard.tsx";
import { SearchForm } from "../components/models/SearchForm.tsx";
import { SearchResultCard } from "../components/models/SearchResultCard.tsx";
import { StorageSummary } from "../components/models/StorageSummary.tsx";
import { api, ApiError, errorMessage } from "../lib/client/api.ts";
import { useDownloads } from "../lib/client/downloads.ts";
import { useLocalModels } from "../lib/client/local_models.ts";
import { type SearchInputs, useModelSearch } from "../lib/client/model_search.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import { toast } from "../lib/client/toast.ts";
import { runModel } from "../lib/client/model_run.ts";
import { filterOptions, matchesFilters, type ModelFilters, NO_FILTERS } from "../lib/model_filters.ts";
import type { DownloadView, LocalModel, SearchResult, StorageInfo } from "../lib/model_types.ts";

/** Jobs with no work left, which "Clear finished" removes. */
const CLEARABLE = new Set(["completed", "failed", "cancelled"]);

/** Props of {@link ModelBrowser}. */
export interface ModelBrowserProps {
  local: LocalModel[];
  downloads: DownloadView[];
  storage: StorageInfo;
  totalMemory: number;
  /** Memory models should stay under (`MLX_MANAGER_MAX_MEMORY_PERCENT`), as the System page shows it. */
  memoryBudget: number;
  /** Whether `HF_TOKEN` is set (never the token itself). */
  hasToken?: boolean;
  /** The hub's address, for links. */
  hubUrl: string;
  defaultAuthor: string;
  offline: boolean;
  /** Whether models may be deleted and profiles created from them (admins only). @default true */
  isAdmin?: boolean;
  /** The models (lower-case ids) a profile serves: the ones a user may run. @default [] */
  withProfile?: string[];
  /** The search the address asks for (`?q=`); with a query, the page opens on the search. */
  search?: SearchInputs;
}

/** The Models page: search Hugging Face, downloads, and the local cache. */
export default function ModelBrowser(props: ModelBrowserProps) {
  const hydrated = useHydrated();
  const tab = useSignal<"search" | "local">(props.local.length && !props.search?.query ? "local" : "search");
  const filters = useSignal<ModelFilters>(NO_FILTERS);
  const fitsOnly = useSignal(false);
  const search = useModelSearch(
    hydrated && tab.value === "search" && !props.offline,
    props.defaultAuthor,
    props.search,
  );
  const { results } = search;
  const starting = useSignal<string | null>(null);
  const deleting = useSignal<LocalModel | null>(null);
  const busy = useSignal(false);
  /** The server's refusal when a running server uses the model; confirming again forces the delete. */
  const inUse = useSignal<string | null>(null);
  const localFilter = useSignal("");

  // Keep the "Downloaded" badges of search results in step with the cache.
  const cache = useLocalModels(props.local, props.storage, (ids) => {
    if (results.value) {
      results.value = results.value.map((r) => ({ ...r, is_downloaded: ids.has(r.model_id) }));
    }
  });
  const { list: local, storage } = cache;

  const downloads = useDownloads(props.downloads, (d) => {
    if (d.status === "completed") {
      toast(`${d.model_id} downloaded`, "success");
      if (results.value) {
        results.value = results.value.map((r) =>
          r.model_id === d.model_id ? { ...r, is_downloaded: true } : r
        );
      }
    }
    if (d.status === "failed") toast(`Download of ${d.model_id} failed: ${d.error}`, "error");
  });

  async function download(r: SearchResult) {
    starting.value = r.model_id;
    await downloads.start(r.model_id);
    starting.value = null;
  }

  async function run(modelId: string) {
    starting.value = modelId;
    // On success the page goes to the dashboard; a refusal is a toast.
    if (!await runModel(modelId)) starting.value = null;
  }

  async function confirmDelete() {
    const m = deleting.value!;
    busy.value = true;
    try {
      await api(`/api/models/${m.model_id}${inUse.value ? "?force=true" : ""}`, { method: "DELETE" });
      toast(`${m.model_id} deleted`, "success");
      downloads.forget(m.model_id);
      await cache.refresh();
    } catch (error) {
      busy.value = false;
      if (error instanceof ApiError && error.code === "in_use" && !inUse.value) {
        inUse.value = error.message;
        return;
      }
      toast(errorMessage(error), "error");
    }
    busy.value = false;
    closeDelete();
  }

  function closeDelete() {
    deleting.value = null;
    inUse.value = null;
  }

  // Running creates a profile when there is none, which only an admin may do.
  const profiled = new Set(props.withProfile ?? []);
  const canRun = (id: string) => props.isAdmin !== false || profiled.has(id.toLowerCase());
  const jobOf = (id: string) => downloads.list.value.find((d) => d.model_id === id) ?? null;
  const shownResults = (results.value ?? []).filter((r) =>
    matchesFilters(r.characteristics, filters.value) && (!fitsOnly.value || r.fit.verdict !== "too_big")
  );
  const shownLocal = local.value.filter((m) =>
    matchesFilters(m.characteristics, filters.value) &&
    m.model_id.toLowerCase().includes(localFilter.value.trim().toLowerCase())
  );
  const options = filterOptions(
    tab.value === "search"
      ? (results.value ?? []).map((r) => r.characteristics)
      : local.value.map((m) => m.characteristics),
  );
  const tabButton = (t: typeof tab.value, label: string) => (
    <button
      type="button"
      role="tab"
      aria-selected={tab.value === t}
      class={`btn ${tab.value === t ? "btn-primary" : "btn-secondary"}`}
      onClick={() => tab.value = t}
      data-testid={`tab-${t}`}
    >
      {label}
    </button>
  );

  return (
    <div class="space-y-4" data-hydrated={hydrated ? "" : undefined} data-testid="model-browser">
      <StorageSummary
        storage={storage.value}
        totalMemory={props.totalMemory}
        memoryBudget={props.memoryBudget}
      />

      {downloads.list.value.length > 0 && (
        <section class="card space-y-3" aria-label="Downloads" data-testid="downloads-panel">
          <div class="flex items-center justify-between gap-2">
            <h2 class="font-semibold">Downloads</h2>
            {downloads.list.value.some((d) =>
              CLEARABLE.has(d.status)
            ) && (
              <button
                type="button"
                class="btn btn-ghost"
                onClick={downloads.clear}
                data-testid="downloads-clear"
              >
                Clear finished
              </button>
            )}
          </div>
          <ul class="space-y-4">
            {downloads.list.value.map((d) => (
              <li key={d.task_id}>
                <DownloadProgress d={d} onAction={downloads.act} showName />
              </li>
            ))}
          </ul>
        </section>
      )}

      <div class="flex flex-wrap gap-2" role="tablist">
        {tabButton("search", "Search Hugging Face")}
        {tabButton("local", `Local (${local.value.length})`)}
      </div>

      {tab.value === "search" && (
        <section class="space-y-3" aria-label="Search">
          {props.offline
            ? (
              <p class="card muted">
                Offline mode is on (MLX_MANAGER_OFFLINE): Hugging Face is not searched.
              </p>
            )
            : <SearchForm search={search} />}
          <div class="flex flex-wrap items-center justify-between gap-2">
            <FilterChips options={options} value={filters.value} onChange={(f) => filters.value = f} />
            <label class="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={fitsOnly.value}
                onChange={(e) => fitsOnly.value = e.currentTarget.checked}
              />
              Only models that fit
            </label>
          </div>
          {search.error.value && (
            <p class="card text-rose-600 dark:text-rose-400" role="alert" data-testid="search-error">
              {search.error.value}
            </p>
          )}
          {search.searching.value && <p class="muted text-sm" data-testid="searching">Searching…</p>}
          {results.value && shownResults.length === 0 && !search.searching.value && (
            <p class="muted text-sm">No models found. Try other words, another author or fewer filters.</p>
          )}
          <ul class="space-y-3" data-testid="search-results">
            {shownResults.map((r) => (
              <SearchResultCard
                key={r.model_id}
                r={r}
                download={jobOf(r.model_id)}
                hubUrl={props.hubUrl}
                hasToken={props.hasToken}
                busy={starting.value === r.model_id}
                onDownload={download}
                onRun={(x) => run(x.model_id)}
                canCreate={props.isAdmin !== false}
                canRun={canRun(r.model_id)}
                onAction={downloads.act}
              />
            ))}
          </ul>
        </section>
      )}

      {tab.value === "local" && (
        <section class="space-y-3" aria-label="Local models">
          <div class="flex flex-wrap items-center gap-2">
            <BoundInput
              class="input max-w-xs"
              type="search"
              placeholder="Filter downloaded models…"
              aria-label="Filter local models"
              bind={localFilter}
            />
            <FilterChips options={options} value={filters.value} onChange={(f) => filters.value = f} />
          </div>
          {shownLocal.length === 0 && (
            <p class="muted text-sm">
              {local.value.length
                ? "No downloaded models match your filters."
                : "No models downloaded yet. Search Hugging Face to find and download one."}
            </p>
          )}
          <ul class="space-y-3" data-testid="local-models">
            {shownLocal.map((m) => (
              <LocalModelCard
                key={m.model_id}
                m={m}
                onRun={(x) => run(x.model_id)}
                canRun={canRun(m.model_id)}
                busy={starting.value === m.model_id}
                onDelete={props.isAdmin === false ? undefined : (x) => deleting.value = x}
              />
            ))}
          </ul>
        </section>
      )}

      <ConfirmDialog
        open={deleting.value !== null}
        title="Delete model"
        message={deleting.value && (inUse.value
          ? <p role="alert">{inUse.value}. The running server keeps the model in memory until it stops.</p>
          : (
            <p>
              Delete <b>{deleting.value.model_id}</b>{" "}
              from the cache? This frees its disk space; profiles that use it will download it again when they
              start.
            </p>
          ))}
        confirmLabel={inUse.value ? "Delete anyway" : "Delete"}
        danger
        busy={busy.value}
        onConfirm={confirmDelete}
        onCancel={closeDelete}
      />
    </div>
  );
}
