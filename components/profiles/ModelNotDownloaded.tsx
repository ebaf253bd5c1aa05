import type { DownloadView } from "../../lib/model_types.ts";
import { type DownloadAction, DownloadProgress } from "../models/DownloadProgress.tsx";

/** Props of {@link ModelNotDownloaded}. */
export interface ModelNotDownloadedProps {
  modelId: string;
  /** The model's live download, once one was asked for. */
  download: DownloadView | null;
  busy: boolean;
  onDownload: () => void;
  onAction: (action: DownloadAction, d: DownloadView) => void;
}

/**
 * The profile form's flag for a repository that is not in the cache: the
 * server would fetch it itself at its first start (slowly, without progress),
 * so the form offers the download now.
 */
export function ModelNotDownloaded(
  { modelId, download, busy, onDownload, onAction }: ModelNotDownloadedProps,
) {
  const active = download !== null && ["pending", "downloading", "paused"].includes(download.status);
  return (
    <div
      class="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-700 dark:bg-amber-950"
      role="status"
      data-testid="model-not-downloaded"
    >
      <div class="flex flex-wrap items-center justify-between gap-2">
        <p>
          <b>{modelId}</b> {active
            ? "is being downloaded: the profile can be saved now and started once it completes."
            : "is not downloaded yet: its first start would fetch it first."}
        </p>
        {!active && (
          <button
            type="button"
            class="btn btn-secondary"
            disabled={busy}
            onClick={onDownload}
            data-testid="model-download"
          >
            Download
          </button>
        )}
      </div>
      {download && (
        <div class="mt-2">
          <DownloadProgress d={download} onAction={onAction} />
        </div>
      )}
    </div>
  );
}
