/**
 * Download jobs in an island: the live list (kept in sync from
 * `download.update` events) and the actions on it.
 *
 * @module
 */
import { type Signal, useSignal } from "@preact/signals";
import type { DownloadView } from "../model_types.ts";
import { api, errorMessage } from "./api.ts";
import { useEvent } from "./events.ts";
import { toast } from "./toast.ts";

/** What {@link useDownloads} gives an island. */
export interface DownloadsState {
  /** Every job, newest first. */
  list: Signal<DownloadView[]>;
  /** Starts (or joins) the download of a model. */
  start(modelId: string): Promise<DownloadView | null>;
  /** Pauses, resumes, cancels or dismisses a job. */
  act(action: "pause" | "resume" | "cancel" | "dismiss", d: DownloadView): Promise<void>;
  /** Removes every finished, failed and cancelled job. */
  clear(): Promise<void>;
  /** Drops the jobs of a model that was deleted (the server removed them with it). */
  forget(modelId: string): void;
}

function newer(list: DownloadView[], view: DownloadView): boolean {
  const known = list.find((d) => d.task_id === view.task_id);
  return known !== undefined && known.updated_at > view.updated_at;
}

function upsert(list: DownloadView[], view: DownloadView): DownloadView[] {
  const rest = list.filter((d) => d.task_id !== view.task_id);
  return [view, ...rest].sort((a, b) => b.created_at.localeCompare(a.created_at));
}

/**
 * Keeps a list of download jobs live.
 *
 * @example
 * ```ts
 * const downloads = useDownloads(props.downloads, (d) => d.status === "completed" && refreshLocal());
 * ```
 */
export function useDownloads(initial: DownloadView[], onUpdate?: (d: DownloadView) => void): DownloadsState {
  const list = useSignal(initial);
  useEvent("download.update", (view) => {
    const before = list.value.find((d) => d.task_id === view.task_id);
    // Events can arrive after a newer answer to our own request; keep the newest.
    if (before && before.updated_at > view.updated_at) return;
    list.value = upsert(list.value, view);
    if (before?.status !== view.status) onUpdate?.(view);
  });

  async function start(modelId: string): Promise<DownloadView | null> {
    try {
      const { download } = await api<{ download: DownloadView }>("/api/models/download", {
        body: { model_id: modelId },
      });
      // An event may already have brought a newer state (a job can fail at once): keep the newest.
      if (!newer(list.value, download)) list.value = upsert(list.value, download);
      return download;
    } catch (error) {
      toast(errorMessage(error), "error");
      return null;
    }
  }

  async function act(action: "pause" | "resume" | "cancel" | "dismiss", d: DownloadView): Promise<void> {
    try {
      const view = await api<DownloadView | null>(`/api/models/download/${d.task_id}/${action}`, {
        method: "POST",
      });
      if (!view) list.value = list.value.filter((x) => x.task_id !== d.task_id);
      else if (!newer(list.value, view)) list.value = upsert(list.value, view);
      if (action === "cancel") toast(`Download of ${d.model_id} cancelled`, "info");
    } catch (error) {
      toast(errorMessage(error), "error");
    }
  }

  async function clear(): Promise<void> {
    try {
      const { task_ids } = await api<{ task_ids: string[] }>("/api/models/downloads/clear", {
        method: "POST",
      });
      const gone = new Set(task_ids);
      list.value = list.value.filter((d) => !gone.has(d.task_id));
    } catch (error) {
      toast(errorMessage(error), "error");
    }
  }

  function forget(modelId: string): void {
    list.value = list.value.filter((d) => d.model_id !== modelId);
  }

  return { list, start, act, clear, forget };
}
