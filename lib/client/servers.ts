/**
 * Live model-server statuses for islands: starts from the statuses rendered
 * with the page, then follows `server.update` events, and refetches the list
 * when the event stream says updates were missed.
 *
 * @module
 */
import { type Signal, useSignal } from "@preact/signals";
import type { ServerQueueStats, ServerStatus } from "../event_types.ts";
import { api } from "./api.ts";
import { useEvent } from "./events.ts";
import { serverUrl } from "../dial.ts";

/** States in which a process exists. */
export const LIVE_STATES: ReadonlySet<string> = new Set(["starting", "running", "stopping"]);

/**
 * A signal of every known server status by profile id, kept current from events.
 *
 * @example
 * ```ts
 * const servers = useServerStatuses(props.servers);
 * const running = Object.values(servers.value).filter((s) => s.state === "running");
 * ```
 */
export function useServerStatuses(initial: ServerStatus[]): Signal<Record<number, ServerStatus>> {
  const map = useSignal<Record<number, ServerStatus>>(
    Object.fromEntries(initial.map((s) => [s.profile_id, s])),
  );
  const hellos = useSignal(0);
  async function refetch() {
    const list = await api<ServerStatus[]>("/api/servers").catch(() => null);
    if (list) map.value = Object.fromEntries(list.map((s) => [s.profile_id, s]));
  }
  useEvent("server.update", (status) => {
    map.value = { ...map.value, [status.profile_id]: status };
  });
  useEvent("resync", () => void refetch());
  // The first hello opens the stream; a later one follows a reconnect, maybe to a restarted manager.
  useEvent("hello", () => {
    if (hellos.value++ > 0) void refetch();
  });
  return map;
}

/** What a person can do to a server: `free-port` moves its profile to the next free port and starts it again. */
export type ServerAction = "start" | "stop" | "restart" | "free-port";

/** Starts, stops or restarts a server through the API. */
export function serverAction(profileId: number, action: ServerAction): Promise<ServerStatus> {
  return api<ServerStatus>(`/api/servers/${profileId}/${action}`, { method: "POST" });
}

/**
 * The OpenAI base URL of a server as this browser can reach it: a server bound
 * to every address (or to an empty host) is reached through the host name of
 * this page, and IPv6 literals get brackets.
 *
 * @example
 * ```ts
 * baseUrl({ host: "127.0.0.1", port: 10240 }); // "http://127.0.0.1:10240/v1"
 * ```
 */
export function baseUrl(s: { host: string; port: number }): string {
  return `${serverUrl(s.host, s.port, { wildcard: globalThis.location?.hostname })}/v1`;
}

/**
 * A 1.8 server's own batch figures, for its card.
 *
 * @example
 * ```ts
 * serverQueueText({ active: 3, waiting: 0, batch_size: 4, completed: 12, batching: true }); // "3 of 4 decoding, 12 done"
 * ```
 */
export function serverQueueText(q: ServerQueueStats): string {
  const waiting = q.waiting > 0 ? `, ${q.waiting} waiting` : "";
  const doing = q.batching
    ? `${q.active} of ${q.batch_size} decoding`
    : `${q.active} generating, one at a time`;
  return `${doing}${waiting}, ${q.completed} done`;
}
