import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { ServerStatus } from "../../lib/event_types.ts";
import { api } from "../../lib/client/api.ts";
import { type CauseCode, type FailureCause, lastErrorTail, statusCause } from "../../lib/server_reason.ts";

/** Last log lines shown under a failure's reason. */
const FAILURE_LINES = 12;

/** Whether a status is a failure to show (a start that failed, or a crash). */
export function isFailure(state: string): boolean {
  return state === "failed" || state === "crashed";
}

/**
 * Why a failed server failed, or null while it has not failed: read from the
 * status at once, then from the server's whole last run (the status API
 * reads further back in the log).
 */
export function useFailureCause(s: ServerStatus): FailureCause | null {
  const failed = isFailure(s.state);
  const fromApi = useSignal<{ at: string; cause: FailureCause | null } | null>(null);
  useEffect(() => {
    if (!failed) return;
    api<{ reason: string | null; reason_code: CauseCode | null }>(`/api/servers/${s.profile_id}/status`)
      .then(({ reason, reason_code }) =>
        fromApi.value = { at: s.last_error ?? "", cause: reason ? { text: reason, code: reason_code } : null }
      )
      .catch(() => {});
  }, [s.profile_id, s.last_error, failed]);
  if (!failed) return null;
  const local = statusCause(s.last_error, [], { model: s.model_path, port: s.port });
  return (fromApi.value?.at === (s.last_error ?? "") ? fromApi.value.cause : null) ?? local;
}

/** Props of {@link Failure}. */
export interface FailureProps {
  s: ServerStatus;
  cause: FailureCause | null;
  /** Moves the profile to the next free port and starts it again (admins; offered when the port is taken). */
  onFreePort?: () => void;
  busy?: boolean;
}

/**
 * Why a server failed, in full, first; then its last log lines, scrolled to
 * their end (where the error is), not to the banner a run starts with.
 */
export function Failure({ s, cause, onFreePort, busy }: FailureProps) {
  const lines = lastErrorTail(s.last_error, FAILURE_LINES);
  return (
    <div
      class="rounded-md border border-rose-300 bg-rose-50 p-3 text-sm text-rose-800 dark:border-rose-800 dark:bg-rose-950/50 dark:text-rose-200"
      role="alert"
    >
      <p class="font-medium break-words" data-testid="server-reason">{cause?.text ?? "It stopped"}</p>
      {s.restart_at && <p>Restarting at {new Date(s.restart_at).toLocaleTimeString()}</p>}
      {cause?.code === "port_in_use" && onFreePort && (
        <button
          type="button"
          class="btn btn-primary mt-2"
          disabled={busy}
          onClick={onFreePort}
          data-testid="use-free-port"
        >
          Use the next free port
        </button>
      )}
      {lines.length > 0 && (
        // A reversed column starts scrolled to its end, even before the page is interactive.
        <div
          class="mt-2 flex max-h-48 flex-col-reverse overflow-auto rounded bg-white/60 dark:bg-black/30"
          data-testid="server-error-log"
        >
          <pre class="mono whitespace-pre-wrap break-all p-2">{lines.join("\n")}</pre>
        </div>
      )}
    </div>
  );
}
