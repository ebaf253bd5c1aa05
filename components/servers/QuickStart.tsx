import { BoundInput } from "../ui/Field.tsx";
import { type Signal, useSignal } from "@preact/signals";
import { LogPanel } from "./LogPanel.tsx";
import type { ServerStatus } from "../../lib/event_types.ts";

/** A profile as the dashboard's quick-start list shows it. */
export interface ProfileSummary {
  id: number;
  name: string;
  model_path: string;
  port: number;
}

/** The profiles without a server: filter, start, or read the last run's log. */
export function QuickStart(
  { profiles, busy, start }: {
    profiles: ProfileSummary[];
    busy: Signal<Record<number, boolean>>;
    start: (p: ProfileSummary) => void;
  },
) {
  const filter = useSignal("");
  const logsOf = useSignal<number | null>(null);
  const needle = filter.value.trim().toLowerCase();
  const shown = profiles.filter((p) => !needle || `${p.name} ${p.model_path}`.toLowerCase().includes(needle));
  return (
    <div class="card p-0" data-testid="quick-start">
      {profiles.length > 6 && (
        <div class="border-b border-slate-200 p-3 dark:border-slate-800">
          <BoundInput
            type="search"
            placeholder="Filter profiles…"
            aria-label="Filter profiles"
            bind={filter}
          />
        </div>
      )}
      <ul class="divide-y divide-slate-100 dark:divide-slate-800">
        {shown.map((p) => (
          <li key={p.id} class="px-4 py-2" data-testid="quick-start-item">
            <div class="flex items-center gap-3">
              <div class="min-w-0 flex-1">
                <div class="truncate font-medium">{p.name}</div>
                <div class="mono muted truncate">{p.model_path} · port {p.port}</div>
              </div>
              <button
                type="button"
                class="btn btn-ghost"
                aria-expanded={logsOf.value === p.id}
                onClick={() => logsOf.value = logsOf.value === p.id ? null : p.id}
              >
                {logsOf.value === p.id ? "Hide log" : "Last log"}
              </button>
              <button
                type="button"
                class="btn btn-primary"
                disabled={busy.value[p.id]}
                onClick={() => start(p)}
              >
                {busy.value[p.id] ? "Starting…" : "Start"}
              </button>
            </div>
            {logsOf.value === p.id && <LogPanel profileId={p.id} live={false} />}
          </li>
        ))}
        {shown.length === 0 && <li class="px-4 py-3 text-sm muted">No profile matches</li>}
      </ul>
    </div>
  );
}

/**
 * The dashboard before any profile exists: the two ways to one, running a
 * model found on the Models page (which makes its profile) or a new profile.
 */
export function NoProfiles({ canCreate }: { canCreate: boolean }) {
  return (
    <div class="card space-y-3 text-sm" data-testid="no-profiles">
      <p class="muted">No profiles configured yet.</p>
      {canCreate
        ? (
          <>
            <p>
              Find a model on the <a class="md-link" href="/models">Models</a> page and press{" "}
              <b>Run</b>: it downloads the model, makes its profile and starts it. Or set one up yourself.
            </p>
            <div class="flex flex-wrap gap-2">
              <a href="/models" class="btn btn-primary" data-testid="no-profiles-models">Models → Run</a>
              <a href="/profiles/new" class="btn btn-secondary">Create your first profile</a>
            </div>
          </>
        )
        : <p class="muted">An admin creates profiles, or runs a model from the Models page.</p>}
    </div>
  );
}

/** What the quick-start list says when every profile has a tile above. */
export function allActive(active: ServerStatus[]): string {
  const failed = active.filter((s) => s.state === "failed" || s.state === "crashed").length;
  if (failed === 0) return "Every profile is running.";
  return failed === 1
    ? "Every profile is above: one failed to run."
    : `Every profile is above: ${failed} failed to run.`;
}
