/**
 * The card's notice of a server whose profile was edited since it started:
 * it still runs with the old settings until it is restarted, from here.
 *
 * @module
 */
import type { ServerStatus } from "../../lib/event_types.ts";

/** Props of {@link PendingRestart}. */
export interface PendingRestartProps {
  s: ServerStatus;
  /** An action on the server is under way. */
  busy: boolean;
  onRestart: () => void;
}

/** A pending-restart badge with its Restart button, or nothing when the server runs its saved settings. */
export function PendingRestart({ s, busy, onRestart }: PendingRestartProps) {
  if (!s.pending_restart) return null;
  return (
    <div
      class="flex flex-wrap items-center gap-2 rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950/50 dark:text-amber-100"
      role="status"
      data-testid="pending-restart"
    >
      <span class="badge badge-yellow">Restart pending</span>
      <span class="min-w-0 flex-1">Its profile was edited: restart to apply the saved settings.</span>
      <button
        type="button"
        class="btn btn-primary"
        disabled={busy || s.state !== "running"}
        onClick={onRestart}
        data-testid="pending-restart-button"
      >
        Restart
      </button>
    </div>
  );
}
