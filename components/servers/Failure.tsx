import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { ServerStatus } from "../../lib/event_types.ts";
import { api } from "../../lib/client/api.ts";
import { statusReason } from "../../lib/server_reason.ts";

/** Last log lines shown under a failure's reason. */
const FAILURE_LINES = 12;

/**
 * Why a server failed, in full, with its last log lines below. The reason is
 * read from the status at once, then from the server's whole last run (the
 * status API reads further back in the log).
 */
export function Failure({ s }: { s: ServerStatus }) {
  const fromApi = useSignal<{ at: string; reason: string | null } | null>(null);
  useEffect(() => {
    api<{ reason: string | null }>(`/api/servers/${s.profile_id}/status`)
      .then(({ reason }) => fromApi.value = { at: s.last_error ?? "", reason })
      .catch(() => {});
  }, [s.profile_id, s.last_error]);
  const local = statusReason(s.last_error, [], { model: s.model_path, port: s.port });
  const reason = (fromApi.value?.at === (s.last_error ?? "") ? fromApi.value.reason : null) ?? local;
  const lines = (s.last_error ?? "").split("\n").slice(1).slice(-FAILURE_LINES);
  return (
    <div
      class="rounded-md border border-rose-300 bg-rose-50 p-3 text-sm text-rose-800 dark:border-rose-800 dark:bg-rose-950/50 dark:text-rose-200"
      role="alert"
    >
      <p class="font-medium break-words" data-testid="server-reason">{reason ?? "It stopped"}</p>
      {s.restart_at && <p>Restarting at {new Date(s.restart_at).toLocaleTimeString()}</p>}
      {lines.length > 0 && (
        <pre
          class="mono mt-2 max-h-48 overflow-auto whitespace-pre-wrap break-all rounded bg-white/60 p-2 dark:bg-black/30"
          data-testid="server-error-log"
        >{lines.join("\n")}</pre>
      )}
    </div>
  );
}
