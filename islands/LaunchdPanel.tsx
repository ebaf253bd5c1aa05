import { useSignal } from "@preact/signals";
import { api, errorMessage } from "../lib/client/api.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import { toast } from "../lib/client/toast.ts";
import { Alert } from "../components/ui/Field.tsx";
import type { LaunchdStatus } from "../lib/launchd_types.ts";

/** Props of {@link LaunchdPanel}. */
export interface LaunchdPanelProps {
  profileId: number;
  /** Whether this manager runs on macOS. */
  available: boolean;
  /** The manager's OS, for the message when launchd is missing. */
  os: string;
  status: LaunchdStatus | null;
  autoStart: boolean;
}

function StatusLine({ status }: { status: LaunchdStatus }) {
  if (!status.installed) return <span class="badge badge-gray">Not installed</span>;
  return (
    <span class="flex flex-wrap items-center gap-2">
      <span class="badge badge-purple">Installed</span>
      {status.running
        ? <span class="badge badge-green">Running, pid {status.pid}</span>
        : status.loaded
        ? <span class="badge badge-yellow">Loaded, not running</span>
        : <span class="badge badge-gray">Not loaded (starts at login)</span>}
      {status.last_exit_code !== null && status.last_exit_code !== 0 && (
        <span class="badge badge-red">Last exit code {status.last_exit_code}</span>
      )}
      {status.last_signal && <span class="badge badge-red">{status.last_signal}</span>}
    </span>
  );
}

/** Install, remove and inspect the LaunchAgent that runs a profile's server (admins, profile page). */
export default function LaunchdPanel(props: LaunchdPanelProps) {
  const hydrated = useHydrated();
  const status = useSignal(props.status);
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);
  const plist = useSignal<string | null>(null);
  const base = "/api/system/launchd";

  async function run(action: () => Promise<void>) {
    busy.value = true;
    error.value = null;
    try {
      await action();
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      busy.value = false;
    }
  }

  const refresh = () =>
    run(async () => {
      status.value = await api<LaunchdStatus>(`${base}/status/${props.profileId}`);
    });
  const install = () =>
    run(async () => {
      const result = await api<{ status: LaunchdStatus }>(`${base}/install/${props.profileId}`, {
        method: "POST",
      });
      status.value = result.status;
      toast("Installed as a LaunchAgent", "success");
    });
  const uninstall = () =>
    run(async () => {
      await api(`${base}/uninstall/${props.profileId}`, { method: "POST" });
      await refresh();
      toast("LaunchAgent removed", "success");
    });
  const togglePlist = () =>
    run(async () => {
      plist.value = plist.value === null
        ? (await api<{ plist: string }>(`${base}/plist/${props.profileId}`)).plist
        : null;
    });

  const s = status.value;
  return (
    <section
      class="card mt-6 space-y-3"
      data-testid="launchd-panel"
      data-hydrated={hydrated ? "" : undefined}
    >
      <h2 class="font-semibold">Run at login with launchd</h2>
      <p class="hint">
        A LaunchAgent runs this server without MLX Manager: it {props.autoStart
          ? "starts at login"
          : "starts when you start it (turn on auto-start to start it at login)"}{" "}
        and restarts after a crash. The dashboard shows it as managed by launchd.
      </p>
      {props.available && s
        ? (
          <div data-testid="launchd-status">
            <StatusLine status={s} />
          </div>
        )
        : !props.available && (
          <p class="text-sm muted">launchd services are macOS-only: this manager runs on {props.os}.</p>
        )}
      {error.value && <Alert kind="error">{error.value}</Alert>}
      <div class="flex flex-wrap gap-2">
        {props.available && (
          <>
            <button type="button" class="btn btn-primary" disabled={busy.value} onClick={install}>
              {s?.installed ? "Reinstall with these settings" : "Install"}
            </button>
            {s?.installed && (
              <button type="button" class="btn btn-danger" disabled={busy.value} onClick={uninstall}>
                Uninstall
              </button>
            )}
            <button type="button" class="btn btn-ghost" disabled={busy.value} onClick={refresh}>
              Refresh
            </button>
          </>
        )}
        <button type="button" class="btn btn-ghost" disabled={busy.value} onClick={togglePlist}>
          {plist.value === null ? "Show plist" : "Hide plist"}
        </button>
      </div>
      {plist.value !== null && (
        <pre
          class="mono max-h-96 overflow-auto whitespace-pre rounded-md bg-slate-50 p-3 dark:bg-slate-950"
          data-testid="plist"
        >
          {plist.value}
        </pre>
      )}
    </section>
  );
}
