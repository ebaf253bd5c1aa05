import type { LocalModel } from "../../lib/model_types.ts";
import { formatBytes } from "../../lib/format.ts";
import { FitBadge, ModelBadges } from "./Badges.tsx";
import { RunButton } from "./ModelButtons.tsx";

/** Props of {@link LocalModelCard}. */
export interface LocalModelCardProps {
  m: LocalModel;
  /** Absent for users who may not delete models or create profiles. */
  onDelete?: (m: LocalModel) => void;
  /** Runs the model in one step (its profile, then the start). */
  onRun: (m: LocalModel) => void;
  /** Whether "Run" is offered: always for admins, for users only when a profile serves the model. @default true */
  canRun?: boolean;
  busy?: boolean;
}

/** One model in the local cache: size, badges, fit, usage, and run / create-profile / delete. */
export function LocalModelCard({ m, onDelete, onRun, canRun = true, busy = false }: LocalModelCardProps) {
  return (
    <li class="card space-y-3" data-testid="local-model" data-model={m.model_id}>
      <div class="flex flex-wrap items-start justify-between gap-2">
        <div class="min-w-0">
          <a
            href={`/models/${m.model_id}`}
            class="block truncate font-medium hover:underline"
            title={m.local_path}
            data-testid="model-page-link"
          >
            {m.model_id}
          </a>
          <p class="muted text-xs" data-testid="local-size">
            {formatBytes(m.size_bytes)} on disk
            {m.last_used_at ? ` · last used ${m.last_used_at.slice(0, 10)}` : ""}
            {!m.complete && (m.download ? " · downloading" : " · incomplete")}
          </p>
        </div>
        <div class="flex items-center gap-2">
          <FitBadge fit={m.fit} />
        </div>
      </div>
      <ModelBadges c={m.characteristics} />
      <p class="text-xs muted" data-testid="used-by">
        {m.used_by.length ? `Used by ${m.used_by.map((p) => p.name).join(", ")}` : "Not used by any profile"}
        {m.running.length > 0 && ` · running on ${m.running.map((p) => p.name).join(", ")}`}
      </p>
      <div class="flex flex-wrap gap-2">
        {canRun && <RunButton disabled={busy || !m.complete} onClick={() => onRun(m)} />}
        {onDelete && (
          <>
            <a class="btn btn-secondary" href={m.create_profile_url} data-testid="create-profile">
              Create profile
            </a>
            <button
              type="button"
              class="btn btn-ghost text-rose-600 dark:text-rose-400"
              onClick={() => onDelete(m)}
              disabled={m.running.length > 0}
              title={m.running.length > 0
                ? `Stop ${m.running.map((p) => p.name).join(", ")} first`
                : undefined}
              data-testid="delete-model"
            >
              Delete
            </button>
            {m.running.length > 0 && (
              <span class="self-center text-xs muted" data-testid="delete-stop-first">Stop it first</span>
            )}
          </>
        )}
      </div>
    </li>
  );
}
