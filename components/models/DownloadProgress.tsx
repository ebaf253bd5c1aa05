import type { DownloadView } from "../../lib/model_types.ts";
import { formatBytes, formatDuration, formatRate } from "../../lib/format.ts";

/** What the buttons of a download ask for. */
export type DownloadAction = "pause" | "resume" | "cancel" | "dismiss";

/** Props of {@link DownloadProgress}. */
export interface DownloadProgressProps {
  d: DownloadView;
  onAction: (action: DownloadAction, d: DownloadView) => void;
  /** Show the model id (the Downloads panel) or not (inside a result card). */
  showName?: boolean;
}

const STATUS: Record<DownloadView["status"], string> = {
  pending: "Waiting",
  downloading: "Downloading",
  paused: "Paused",
  completed: "Complete",
  failed: "Failed",
  cancelled: "Cancelled",
};

/** How a job that ended without finishing stands apart from a running one. */
const LOOK: Partial<Record<DownloadView["status"], string>> = {
  failed: "download-failed",
  cancelled: "download-cancelled",
};

/** A live progress bar with percent, bytes, speed, ETA and pause/resume/cancel. */
export function DownloadProgress({ d, onAction, showName }: DownloadProgressProps) {
  const active = d.status === "pending" || d.status === "downloading" || d.status === "paused";
  return (
    <div
      class={`space-y-1 ${LOOK[d.status] ?? ""}`}
      data-testid="download"
      data-task={d.task_id}
      data-model={d.model_id}
      data-status={d.status}
    >
      <div class="flex flex-wrap items-center justify-between gap-2 text-sm">
        <span class="flex min-w-0 items-center gap-2">
          <span class="truncate font-medium" title={d.model_id}>
            {showName ? d.model_id : STATUS[d.status]}
          </span>
          {(d.status === "failed" || d.status === "cancelled") && (
            <span
              class={`badge ${d.status === "failed" ? "badge-red" : "badge-gray"}`}
              data-testid="download-ended"
            >
              {STATUS[d.status]}
            </span>
          )}
        </span>
        <span class="muted" data-testid="download-figures">
          {showName && `${STATUS[d.status]} · `}
          {d.status === "completed" ? "100%" : `${d.progress}%`}
          {d.total_bytes ? ` · ${formatBytes(d.downloaded_bytes)} / ${formatBytes(d.total_bytes)}` : ""}
          {d.status === "downloading" &&
            ` · ${formatRate(d.speed_bps)} · ETA ${formatDuration(d.eta_seconds)}`}
        </span>
      </div>
      <progress
        class={`progress-bar ${
          d.status === "failed" ? "progress-failed" : d.status === "cancelled" ? "progress-stopped" : ""
        }`}
        max={d.total_bytes || 1}
        value={d.status === "completed" ? d.total_bytes || 1 : d.downloaded_bytes}
        aria-label={`Download of ${d.model_id}`}
        data-testid="download-bar"
      />
      {d.current_file && <p class="mono muted truncate" title={d.current_file}>{d.current_file}</p>}
      {d.error && (
        <p class="text-sm text-rose-600 dark:text-rose-400" data-testid="download-error">{d.error}</p>
      )}
      <div class="flex flex-wrap gap-1">
        {(d.status === "downloading" || d.status === "pending") && (
          <button
            type="button"
            class="btn btn-secondary"
            onClick={() => onAction("pause", d)}
          >
            Pause
          </button>
        )}
        {(d.status === "paused" || d.status === "failed") && (
          <button
            type="button"
            class="btn btn-secondary"
            onClick={() => onAction("resume", d)}
          >
            {d.status === "failed" ? "Retry" : "Resume"}
          </button>
        )}
        {active && (
          <button
            type="button"
            class="btn btn-ghost text-rose-600 dark:text-rose-400"
            onClick={() => onAction("cancel", d)}
          >
            Cancel
          </button>
        )}
        {!active && showName && (
          <button
            type="button"
            class="btn btn-ghost"
            onClick={() => onAction("dismiss", d)}
          >
            Dismiss
          </button>
        )}
      </div>
    </div>
  );
}
