/**
 * One upstream in the Upstreams page's list: its state, last error, models
 * and the admin's buttons.
 *
 * @module
 */
import { KIND_LABEL, UpstreamStateBadge } from "./UpstreamBadges.tsx";
import type { UpstreamView } from "../../lib/upstream_types.ts";

/** Props of {@link UpstreamCard}. */
export interface UpstreamCardProps {
  upstream: UpstreamView;
  /** False until the island has hydrated. */
  ready: boolean;
  /** Disables Check now while a check runs. */
  busy: boolean;
  onCheck: () => void;
  onEdit: () => void;
  onRemove: () => void;
}

/** An upstream's card, with Check now, Edit and Remove. */
export function UpstreamCard({ upstream: u, ready, busy, onCheck, onEdit, onRemove }: UpstreamCardProps) {
  return (
    <li class="card space-y-2" data-testid="upstream-row" data-name={u.name}>
      <div class="flex flex-wrap items-center justify-between gap-2">
        <div class="min-w-0">
          <h3 class="truncate font-semibold">{u.name}</h3>
          <p class="muted truncate text-xs mono" title={u.base_url}>
            {KIND_LABEL[u.kind]} · {u.base_url}
          </p>
        </div>
        <div class="flex items-center gap-2">
          {!u.enabled && <span class="badge badge-gray">Disabled</span>}
          {u.enabled && <UpstreamStateBadge state={u.state} error={u.last_error} />}
        </div>
      </div>
      {u.last_error && (
        <p class="text-sm text-rose-700 dark:text-rose-300" data-testid="upstream-error">
          {u.last_error}
        </p>
      )}
      <p class="muted text-xs">
        {u.latency_ms !== null && `${u.latency_ms} ms · `}
        {u.checked_at ? `checked ${new Date(u.checked_at).toLocaleTimeString()}` : "not checked yet"}
        {" · "}
        {u.has_api_key ? "key stored" : "no key"}
      </p>
      <div class="flex flex-wrap gap-1" data-testid="upstream-models">
        {u.served.length === 0 && <span class="muted text-sm">No models known</span>}
        {u.served.map((m) => (
          <span
            key={m.id}
            class={`badge ${m.loaded ? "badge-green" : "badge-gray"}`}
            title={m.state ?? undefined}
          >
            {u.name}/{m.id}
          </span>
        ))}
      </div>
      <div class="flex flex-wrap gap-2">
        <button type="button" class="btn btn-secondary" disabled={!ready || busy} onClick={onCheck}>
          Check now
        </button>
        <button type="button" class="btn btn-ghost" disabled={!ready} onClick={onEdit}>Edit</button>
        <button type="button" class="btn btn-ghost text-rose-600" disabled={!ready} onClick={onRemove}>
          Remove
        </button>
      </div>
    </li>
  );
}
