/**
 * The local model cache in an island: its models and disk figures, kept
 * current when a model is added or deleted and when a server that uses one
 * starts or stops (a running model's card offers no Delete).
 *
 * @module
 */
import { type Signal, useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";
import type { LocalModel, StorageInfo } from "../model_types.ts";
import { api } from "./api.ts";
import { useEvent } from "./events.ts";
import { LIVE_STATES } from "./servers.ts";

/** What {@link useLocalModels} gives an island. */
export interface LocalModelsState {
  list: Signal<LocalModel[]>;
  storage: Signal<StorageInfo>;
  /** Reads the list and the disk figures again. */
  refresh(): Promise<void>;
}

/**
 * Keeps the local models live; `onRefreshed` gets the ids in the cache after each refresh.
 *
 * @example
 * ```ts
 * const local = useLocalModels(props.local, props.storage, (ids) => markDownloaded(ids));
 * ```
 */
export function useLocalModels(
  initial: LocalModel[],
  storage: StorageInfo,
  onRefreshed?: (ids: Set<string>) => void,
): LocalModelsState {
  const list = useSignal(initial);
  const disk = useSignal(storage);
  /** Whether each server had a process at its last update: a change starts or ends a model's use. */
  const live = useRef(new Map<number, boolean>());

  async function refresh() {
    try {
      [list.value, disk.value] = await Promise.all([
        api<LocalModel[]>("/api/models/local"),
        api<StorageInfo>("/api/models/storage"),
      ]);
      onRefreshed?.(new Set(list.value.map((m) => m.model_id)));
    } catch { /* the next change event tries again */ }
  }

  useEvent("models.changed", () => void refresh());
  useEvent("server.update", (status) => {
    const now = LIVE_STATES.has(status.state);
    const before = live.current.get(status.profile_id);
    live.current.set(status.profile_id, now);
    // The first update of a server is only a baseline, unless it is running now.
    if (before === undefined ? now : before !== now) void refresh();
  });

  return { list, storage: disk, refresh };
}
