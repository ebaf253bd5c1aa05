import { useSignal } from "@preact/signals";
import { gigabytes, KIND_LABEL, UpstreamStateBadge } from "../components/upstreams/UpstreamBadges.tsx";
import { useEvent } from "../lib/client/events.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import type { RemoteMachineView } from "../lib/upstream_types.ts";

/** Props of {@link RemoteServers}. */
export interface RemoteServersProps {
  machines: RemoteMachineView[];
}

/**
 * The other machines behind this endpoint, under their names: each one's
 * state and, for another MLX Manager, its servers with their state, memory
 * and requests in flight. Updated live as the probes see changes.
 */
export default function RemoteServers({ machines }: RemoteServersProps) {
  const hydrated = useHydrated();
  const list = useSignal(machines);
  useEvent("upstreams.changed", ({ id, machine }) => {
    const others = list.value.filter((m) => m.id !== id);
    list.value = machine ? [...others, machine].sort((a, b) => a.id - b.id) : others;
  });
  if (list.value.length === 0) {
    return <div data-hydrated={hydrated ? "" : undefined} data-testid="remote-servers" />;
  }
  return (
    <section class="mt-6" data-hydrated={hydrated ? "" : undefined} data-testid="remote-servers">
      <h2 class="mb-1 text-lg font-semibold">Other machines</h2>
      <p class="muted mb-3 text-sm">
        Their models answer on this endpoint as{" "}
        <span class="mono">machine/model</span>; each machine starts its own on demand.
      </p>
      <div class="grid gap-3 md:grid-cols-2 xl:grid-cols-3">
        {list.value.map((m) => (
          <article key={m.id} class="card min-w-0 space-y-2" data-testid="remote-machine" data-name={m.name}>
            <header class="flex flex-wrap items-center justify-between gap-2">
              <div class="min-w-0">
                <h3 class="truncate font-semibold">{m.name}</h3>
                <p class="muted text-xs">
                  {KIND_LABEL[m.kind]}
                  {m.latency_ms !== null && m.state === "online" && ` · ${m.latency_ms} ms`}
                </p>
              </div>
              <UpstreamStateBadge state={m.state} error={m.last_error} />
            </header>
            {m.state !== "online" && m.last_error && (
              <p class="text-sm text-rose-700 dark:text-rose-300">{m.last_error}</p>
            )}
            {m.served.length === 0
              ? <p class="muted text-sm">No models known yet</p>
              : (
                <ul class="divide-y divide-slate-100 text-sm dark:divide-slate-800">
                  {/* An alias is the same server under another name: shown once. */}
                  {m.served.filter((s) => !s.alias_of).map((s) => (
                    <li
                      key={s.id}
                      class="flex flex-wrap items-center justify-between gap-x-3 gap-y-1 py-1.5"
                      data-testid="remote-model"
                    >
                      <span class="min-w-0 break-all font-medium">{s.id}</span>
                      <span class="muted flex flex-wrap gap-x-3 text-xs">
                        {s.state !== null && (
                          <span data-testid="remote-model-state">
                            <span class={`badge ${s.loaded ? "badge-green" : "badge-gray"}`}>{s.state}</span>
                          </span>
                        )}
                        {s.memory_bytes !== null && (
                          <span title="Resident memory">{gigabytes(s.memory_bytes)}</span>
                        )}
                        {s.in_flight !== null && (
                          <span title="Requests in flight">{s.in_flight} in flight</span>
                        )}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
          </article>
        ))}
      </div>
    </section>
  );
}
