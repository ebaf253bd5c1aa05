import type { UpstreamKind, UpstreamState } from "../../lib/upstream_types.ts";

const TONE: Record<UpstreamState, string> = {
  unknown: "badge-gray",
  online: "badge-green",
  offline: "badge-red",
  auth_failed: "badge-yellow",
};

const LABEL: Record<UpstreamState, string> = {
  unknown: "Checking",
  online: "Online",
  offline: "Offline",
  auth_failed: "Key refused",
};

/** An upstream's state as a coloured badge; the last error as its tooltip. */
export function UpstreamStateBadge({ state, error }: { state: UpstreamState; error?: string | null }) {
  return (
    <span
      class={`badge ${TONE[state]}`}
      data-testid="upstream-state"
      data-state={state}
      title={error ?? undefined}
    >
      {LABEL[state]}
    </span>
  );
}

/** What an upstream kind is, in a few words. */
export const KIND_LABEL: Record<UpstreamKind, string> = {
  "mlx-manager": "MLX Manager",
  exo: "exo cluster",
  openai: "OpenAI-compatible",
};

/** Bytes as GB with one decimal, or a dash. */
export function gigabytes(bytes: number | null): string {
  return bytes === null ? "—" : `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}
