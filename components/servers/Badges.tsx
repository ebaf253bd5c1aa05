import type { ServerHealth, ServerState } from "../../lib/event_types.ts";

const STATE_TONE: Record<ServerState, string> = {
  stopped: "badge-gray",
  starting: "badge-yellow",
  running: "badge-green",
  stopping: "badge-gray",
  failed: "badge-red",
  crashed: "badge-red",
};

const STATE_LABEL: Record<ServerState, string> = {
  stopped: "Stopped",
  starting: "Starting",
  running: "Running",
  stopping: "Stopping",
  failed: "Failed",
  crashed: "Crashed",
};

/** A server's state as a coloured badge. */
export function StateBadge({ state }: { state: ServerState }) {
  return (
    <span class={`badge ${STATE_TONE[state]}`} data-testid="server-state" data-state={state}>
      {STATE_LABEL[state]}
    </span>
  );
}

/** A running server's health: healthy, not answering (with the count of missed probes), or unhealthy. */
export function HealthBadge({ health, missed }: { health: ServerHealth; missed: number }) {
  if (health === "unknown") return null;
  if (health === "unhealthy") {
    return (
      <span class="badge badge-red" data-testid="server-health" title={`${missed} health checks missed`}>
        Unhealthy
      </span>
    );
  }
  if (missed > 0) {
    return (
      <span
        class="badge badge-yellow"
        data-testid="server-health"
        title="Busy or slow: the last health check got no answer"
      >
        Slow
      </span>
    );
  }
  return <span class="badge badge-blue" data-testid="server-health">Healthy</span>;
}

/** Who runs a server, shown when it is not MLX Manager itself. */
export function ManagedByBadge({ managedBy }: { managedBy: "manager" | "launchd" }) {
  if (managedBy !== "launchd") return null;
  return (
    <span
      class="badge badge-purple"
      data-testid="managed-by"
      title="Run by launchd as a LaunchAgent: it starts at login and restarts after a crash"
    >
      launchd
    </span>
  );
}
