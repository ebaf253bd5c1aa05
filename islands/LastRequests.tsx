import { useSignal } from "@preact/signals";
import { useEvent } from "../lib/client/events.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import type { GatewayActivityEvent } from "../lib/event_types.ts";

/** Props of {@link LastRequests}. */
export interface LastRequestsProps {
  profiles: { id: number; name: string }[];
  /** The last `/v1` request of each profile that had one. */
  last: GatewayActivityEvent[];
}

function ago(iso: string): string {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 60 ? `${s}s ago` : s < 3600 ? `${Math.round(s / 60)} min ago` : new Date(iso).toLocaleString();
}

/** Each server's last request through the OpenAI endpoint, updated live. */
export default function LastRequests({ profiles, last }: LastRequestsProps) {
  const hydrated = useHydrated();
  const byProfile = useSignal(new Map(last.map((r) => [r.profile_id, r])));
  useEvent("gateway.activity", (event) => {
    if (event.profile_id === null) return;
    byProfile.value = new Map(byProfile.value).set(event.profile_id, event);
  });
  const rows = profiles.filter((p) => byProfile.value.has(p.id));
  if (rows.length === 0) return <div data-hydrated={hydrated ? "" : undefined} data-testid="last-requests" />;
  return (
    <section class="card mt-4" data-hydrated={hydrated ? "" : undefined} data-testid="last-requests">
      <h2 class="mb-2 font-semibold">Last request per server</h2>
      <ul class="divide-y divide-slate-100 text-sm dark:divide-slate-800">
        {rows.map((p) => {
          const r = byProfile.value.get(p.id)!;
          return (
            <li key={p.id} class="flex flex-wrap justify-between gap-2 py-1.5" data-testid="last-request">
              <span class="font-medium">{p.name}</span>
              <span class="muted">
                {ago(r.created_at)} · {r.endpoint.replace("/v1/", "")} · {r.status} {r.outcome}
                {r.ttft_ms !== null && ` · TTFT ${Math.round(r.ttft_ms)} ms`}
                {r.tokens_per_second !== null && ` · ${r.tokens_per_second.toFixed(1)} tok/s`}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
