import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { ServerStatus } from "../lib/event_types.ts";
import { connected, useEvent } from "../lib/client/events.ts";
import { api, errorMessage } from "../lib/client/api.ts";
import {
  baseUrl,
  LIVE_STATES,
  type ServerAction,
  serverAction,
  serverQueueText,
  useServerStatuses,
} from "../lib/client/servers.ts";
import { toast } from "../lib/client/toast.ts";
import { formatBytes, formatDuration } from "../lib/format.ts";
import { HealthBadge, ManagedByBadge, StateBadge } from "../components/servers/Badges.tsx";
import { Gauge } from "../components/servers/Gauge.tsx";
import { CopyText } from "../components/servers/CopyText.tsx";
import { LogPanel } from "../components/servers/LogPanel.tsx";
import { Failure, isFailure, useFailureCause } from "../components/servers/Failure.tsx";
import { PendingRestart } from "../components/servers/PendingRestart.tsx";
import { allActive, NoProfiles, type ProfileSummary, QuickStart } from "../components/servers/QuickStart.tsx";

export type { ProfileSummary };

/** Props of {@link ServerBoard}. */
export interface ServerBoardProps {
  /** Servers that are not stopped, when the page was rendered. */
  servers: ServerStatus[];
  profiles: ProfileSummary[];
  /** Whether the reader may create profiles (admins); users are not offered it. @default true */
  canCreate?: boolean;
}

/** Samples of CPU and memory kept per server for the sparklines. */
const HISTORY = 30;

interface History {
  cpu: number[];
  memory: number[];
  at: string;
}

function Tile(
  { s, now, history, busy, act, admin }: {
    s: ServerStatus;
    now: number;
    history: History | undefined;
    busy: boolean;
    act: (s: ServerStatus, action: ServerAction) => void;
    /** Whether the reader may change the profile (move it to a free port). */
    admin: boolean;
  },
) {
  const logs = useSignal(false);
  const cause = useFailureCause(s);
  const live = LIVE_STATES.has(s.state);
  const uptime = s.started_at ? (now - Date.parse(s.started_at)) / 1000 : null;
  const url = baseUrl(s);
  const curl = `curl ${url}/chat/completions \\\n  -H "Content-Type: application/json" \\\n  -d '${
    JSON.stringify({ model: s.model_path, messages: [{ role: "user", content: "Hello" }] })
  }'`;
  return (
    <article
      class="card flex flex-col gap-3"
      data-testid="server-tile"
      data-profile-id={s.profile_id}
      data-state={s.state}
    >
      <header class="flex flex-wrap items-start justify-between gap-2">
        <div class="min-w-0">
          <h3 class="flex flex-wrap items-center gap-2 font-semibold">
            <span class="truncate" data-testid="server-name">{s.profile_name}</span>
            <StateBadge state={s.state} />
            {s.state === "running" && <HealthBadge health={s.health} missed={s.missed_probes} />}
            <ManagedByBadge managedBy={s.managed_by} />
          </h3>
          <p class="mono muted truncate" title={s.model_path}>{s.model_path}</p>
        </div>
        <span class="text-sm muted">Port {s.port}</span>
      </header>

      {s.state === "starting" && (
        <p class="text-sm muted" role="status" data-testid="server-starting">
          {s.started_for ? `Starting for a request (model ${s.started_for})` : "Loading the model"}…{" "}
          {uptime !== null && formatDuration(uptime)} (large models can take minutes)
          {s.queued > 0 && ` · ${s.queued} waiting`}
        </p>
      )}

      {isFailure(s.state) && (
        <Failure
          s={s}
          cause={cause}
          busy={busy}
          onFreePort={admin ? () => act(s, "free-port") : undefined}
        />
      )}

      <PendingRestart s={s} busy={busy} onRestart={() => act(s, "restart")} />

      {live && (
        <div class="flex flex-wrap gap-x-6 gap-y-3">
          <Gauge label="CPU" percent={s.cpu_percent} history={history?.cpu} />
          <Gauge
            label="Memory"
            percent={s.memory_percent}
            detail={s.memory_bytes !== null ? formatBytes(s.memory_bytes) : undefined}
            history={history?.memory}
          />
          <dl class="grid grid-cols-[auto_1fr] gap-x-3 text-xs">
            <dt class="muted">Uptime</dt>
            <dd data-testid="server-uptime">{formatDuration(uptime)}</dd>
            <dt class="muted">PID</dt>
            <dd>{s.pid ?? "—"}</dd>
            <dt class="muted">Health check</dt>
            <dd>{s.response_time_ms !== null ? `${Math.round(s.response_time_ms)} ms` : "—"}</dd>
            <dt class="muted">Requests</dt>
            <dd data-testid="server-requests">{s.in_flight} in flight, {s.queued} queued</dd>
            {s.server_queue && (
              <>
                <dt class="muted">{s.server_queue.batching ? "Batch" : "Server"}</dt>
                <dd data-testid="server-batch">{serverQueueText(s.server_queue)}</dd>
              </>
            )}
          </dl>
        </div>
      )}

      {s.state === "running" && (
        <div class="flex flex-col gap-2">
          <CopyText label="OpenAI base URL" text={url} />
          <details>
            <summary class="cursor-pointer text-xs muted">curl example</summary>
            <div class="mt-2">
              <CopyText label="" text={curl} block />
            </div>
          </details>
        </div>
      )}

      <div class="flex flex-wrap gap-2">
        {s.state === "running" && (
          <a class="btn btn-secondary" href={`/chat?profile=${s.profile_id}`}>
            Chat
          </a>
        )}
        {isFailure(s.state)
          ? (
            <>
              <button type="button" class="btn btn-primary" disabled={busy} onClick={() => act(s, "start")}>
                Retry
              </button>
              <button type="button" class="btn btn-secondary" disabled={busy} onClick={() => act(s, "stop")}>
                Dismiss
              </button>
            </>
          )
          : (
            <>
              <button
                type="button"
                class="btn btn-secondary"
                disabled={busy || s.state === "stopping"}
                onClick={() => act(s, "restart")}
              >
                Restart
              </button>
              <button
                type="button"
                class="btn btn-danger"
                disabled={busy || s.state === "stopping"}
                onClick={() => act(s, "stop")}
              >
                {s.state === "starting" ? "Cancel" : "Stop"}
              </button>
            </>
          )}
        <button
          type="button"
          class="btn btn-ghost ml-auto"
          aria-expanded={logs.value}
          onClick={() => logs.value = !logs.value}
        >
          {logs.value ? "Hide logs" : "Logs"}
        </button>
      </div>
      {logs.value && <LogPanel profileId={s.profile_id} live={live} cause={cause} />}
    </article>
  );
}

/** The live Servers dashboard: a tile per active server and a quick-start list of the others. */
export default function ServerBoard({ servers, profiles, canCreate }: ServerBoardProps) {
  const ready = useSignal(false);
  const statuses = useServerStatuses(servers);
  const profileList = useSignal(profiles);
  const busy = useSignal<Record<number, boolean>>({});
  const history = useSignal<Record<number, History>>({});
  const now = useSignal(Date.now());

  useEffect(() => {
    ready.value = true;
    // Uptimes tick locally; the data itself arrives as events.
    const timer = setInterval(() => now.value = Date.now(), 1000);
    return () => clearInterval(timer);
  }, []);

  useEvent("server.update", (s) => {
    if (s.cpu_percent === null || s.memory_percent === null) return;
    const h = history.value[s.profile_id] ?? { cpu: [], memory: [], at: "" };
    if (h.at === s.updated_at) return;
    history.value = {
      ...history.value,
      [s.profile_id]: {
        cpu: [...h.cpu, s.cpu_percent].slice(-HISTORY),
        memory: [...h.memory, s.memory_percent].slice(-HISTORY),
        at: s.updated_at,
      },
    };
  });
  useEvent("profiles.changed", () => {
    api<ProfileSummary[]>("/api/profiles").then((list) => profileList.value = list).catch(() => {});
  });

  async function act(profileId: number, name: string, action: ServerAction) {
    busy.value = { ...busy.value, [profileId]: true };
    try {
      const status = await serverAction(profileId, action);
      statuses.value = { ...statuses.value, [profileId]: status };
    } catch (error) {
      toast(`${name}: ${errorMessage(error)}`, "error");
    }
    busy.value = { ...busy.value, [profileId]: false };
  }

  // A tile stays while an action on it runs (a restart passes through "stopped").
  const active = Object.values(statuses.value)
    .filter((s) =>
      (s.state !== "stopped" || busy.value[s.profile_id]) &&
      profileList.value.some((p) => p.id === s.profile_id)
    )
    .sort((a, b) => a.profile_id - b.profile_id);
  const activeIds = new Set(active.map((s) => s.profile_id));
  const stopped = profileList.value.filter((p) => !activeIds.has(p.id));

  return (
    <section
      class={`flex flex-col gap-6 ${ready.value ? "ready" : ""}`}
      data-testid="server-board"
      data-hydrated={ready.value ? "" : undefined}
    >
      <div>
        <h2 class="mb-3 flex items-center gap-3 text-lg font-semibold">
          Active servers ({active.length})
          <span
            class={`live-dot ${connected.value ? "live-dot-on" : ""}`}
            data-testid="live-status"
            title={connected.value ? "Updates arrive as they happen" : "Connecting for live updates"}
          >
            {connected.value ? "Live" : "Connecting…"}
          </span>
        </h2>
        {active.length === 0
          ? (
            <p class="card muted text-sm" data-testid="no-servers">
              No servers running. Start a profile to begin.
            </p>
          )
          : (
            <div class="grid grid-cols-1 items-start gap-4 lg:grid-cols-2">
              {active.map((s) => (
                <Tile
                  key={s.profile_id}
                  s={s}
                  now={now.value}
                  history={history.value[s.profile_id]}
                  busy={busy.value[s.profile_id] === true}
                  act={(x, action) => act(x.profile_id, x.profile_name, action)}
                  admin={canCreate !== false}
                />
              ))}
            </div>
          )}
      </div>
      <div>
        <h2 class="mb-3 text-lg font-semibold">Start a server</h2>
        {profileList.value.length === 0
          ? <NoProfiles canCreate={canCreate !== false} />
          : stopped.length === 0
          ? <p class="muted text-sm" data-testid="all-active">{allActive(active)}</p>
          : <QuickStart profiles={stopped} busy={busy} start={(p) => act(p.id, p.name, "start")} />}
      </div>
    </section>
  );
}
