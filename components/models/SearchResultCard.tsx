import type { DownloadView, SearchResult } from "../../lib/model_types.ts";
import { formatCount } from "../../lib/model_filters.ts";
import { formatBytes } from "../../lib/format.ts";
import { FitBadge, ModelBadges } from "./Badges.tsx";
import { type DownloadAction, DownloadProgress } from "./DownloadProgress.tsx";
import { createProfileUrl } from "../../lib/profile_link.ts";
import { DownloadButton, DownloadedBadge, GatedNotice, NewProfileLink, RunButton } from "./ModelButtons.tsx";

/** Props of {@link SearchResultCard}. */
export interface SearchResultCardProps {
  r: SearchResult;
  /** The live job of this model, if any. */
  download: DownloadView | null;
  /** The hub's address, for the model's page link. */
  hubUrl: string;
  busy: boolean;
  /** Whether `HF_TOKEN` is set (never the token): a gated repo needs it. @default false */
  hasToken?: boolean;
  onDownload: (r: SearchResult) => void;
  /** Runs the model in one step (profile, download, start). */
  onRun: (r: SearchResult) => void;
  /** Whether "New profile" is offered (admins). @default true */
  canCreate?: boolean;
  /** Whether "Run" is offered: always for admins, for users only when a profile serves the model. @default true */
  canRun?: boolean;
  onAction: (action: DownloadAction, d: DownloadView) => void;
}

/**
 * One search result: name (to its model page), numbers, badges, size and fit, and Run with Download
 * (or, once downloaded, Run with New profile), or its live progress.
 */
export function SearchResultCard(
  {
    r,
    download,
    hubUrl,
    busy,
    hasToken = false,
    onDownload,
    onRun,
    canCreate = true,
    canRun = true,
    onAction,
  }: SearchResultCardProps,
) {
  // Without a token the hub refuses a gated repo: say what it needs instead of offering a Download that fails.
  const locked = r.gated !== false && !hasToken;
  const downloading = download && download.status !== "completed" && download.status !== "cancelled";
  // A download under way has written some files already: not downloaded until it completes.
  const local = !downloading && (r.is_downloaded || download?.status === "completed");
  const extra = r.tags.length - 5;
  return (
    <li class="card space-y-3" data-testid="search-result" data-model={r.model_id}>
      <div class="flex flex-wrap items-start justify-between gap-2">
        <div class="min-w-0">
          <a
            href={`/models/${r.model_id}`}
            class="block truncate font-medium hover:underline"
            title={`${r.model_id}: model card, files and fit`}
            data-testid="model-page-link"
          >
            {r.model_id}
          </a>
          <p class="muted text-xs">
            <a
              href={`${hubUrl}/${r.model_id}`}
              target="_blank"
              rel="noopener noreferrer"
              class="hover:underline"
            >
              Hugging Face ↗
            </a>
            {" · "}
            ↓ {formatCount(r.downloads)} · ♥ {formatCount(r.likes)}
            {r.size_bytes ? ` · ${formatBytes(r.size_bytes)}` : ""}
            {r.last_modified ? ` · updated ${r.last_modified.slice(0, 10)}` : ""}
          </p>
        </div>
        <div class="flex items-center gap-2">
          <FitBadge fit={r.fit} />
          {local && <DownloadedBadge />}
          {canRun && !downloading && (local || !locked) && (
            <RunButton
              disabled={busy}
              onClick={() => onRun(r)}
              title={local
                ? "Start a server for this model"
                : "Download this model, then start a server for it"}
            />
          )}
          {local && canCreate && (
            <NewProfileLink
              href={createProfileUrl(r.model_id, r.characteristics, {})}
            />
          )}
          {!local && !downloading && locked && (
            <GatedNotice
              hubUrl={hubUrl}
              modelId={r.model_id}
              title="Accept the licence on the model's page, then set HF_TOKEN and restart MLX Manager"
            />
          )}
          {!local && !downloading && !locked && (
            <DownloadButton
              disabled={busy}
              onClick={() => onDownload(r)}
            />
          )}
        </div>
      </div>
      <ModelBadges c={r.characteristics} gated={r.gated} />
      {r.tags.length > 0 && (
        <div class="flex flex-wrap gap-1">
          {r.tags.slice(0, 5).map((t) => <span key={t} class="badge badge-gray">{t}</span>)}
          {extra > 0 && <span class="badge badge-gray" title={r.tags.slice(5).join(", ")}>+{extra}</span>}
        </div>
      )}
      {downloading && <DownloadProgress d={download} onAction={onAction} />}
    </li>
  );
}
