import type { StorageInfo } from "../../lib/model_types.ts";
import { formatBytes } from "../../lib/format.ts";

/** Props of {@link StorageSummary}. */
export interface StorageSummaryProps {
  storage: StorageInfo;
  totalMemory: number;
  /** Memory models should stay under. */
  memoryBudget: number;
}

/** Disk used by the model cache, free disk, and this machine's memory. */
export function StorageSummary({ storage, totalMemory, memoryBudget }: StorageSummaryProps) {
  const total = storage.disk_total_bytes;
  const free = storage.disk_free_bytes;
  return (
    <section class="card grid gap-3 text-sm sm:grid-cols-3" aria-label="Storage" data-testid="storage">
      <div class="min-w-0">
        <p class="muted text-xs uppercase">Model cache</p>
        <p class="font-medium" data-testid="cache-size">{formatBytes(storage.cache_bytes)}</p>
        <p class="mono muted truncate" title={storage.cache_path}>{storage.cache_path}</p>
      </div>
      <div class="min-w-0">
        <p class="muted text-xs uppercase">Disk</p>
        {total !== null && free !== null
          ? (
            <>
              <p class="font-medium" data-testid="disk-free">
                {formatBytes(free)} free of {formatBytes(total)}
              </p>
              <meter
                class="w-full"
                min={0}
                max={total}
                value={total - free}
                high={total * 0.9}
                optimum={0}
                aria-label="Disk in use"
              />
            </>
          )
          : <p class="muted">Unknown</p>}
      </div>
      <div class="min-w-0">
        <p class="muted text-xs uppercase">Memory</p>
        <p class="font-medium">{formatBytes(totalMemory)}</p>
        <p class="muted text-xs" data-testid="memory-budget">
          Models should stay under {formatBytes(memoryBudget)}
          {totalMemory > 0 && ` (${Math.round(memoryBudget / totalMemory * 100)} %)`}
        </p>
      </div>
    </section>
  );
}
