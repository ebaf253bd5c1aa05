/**
 * The sweep: the one scheduled job for every model server.
 *
 * @module
 */
import { type ProcessRow, sampleProcesses, treeUsage } from "../platform/processes.ts";
import type { CommandRunner } from "../platform/runner.ts";
import type { ExternalServers } from "./deps.ts";
import { probeQueueStats, sweepHealth } from "./health.ts";
import { OutsideCharges } from "./outside.ts";
import type { ManagedServer } from "./server.ts";

/** What one sweep reads and tells. */
export interface SweepParts {
  /** The supervisor's servers. */
  servers: Iterable<ManagedServer>;
  /** Servers run by launchd. */
  external?: ExternalServers;
  /** Runs the one `ps`. */
  runner: CommandRunner;
  /** How long one probe may take, in ms. */
  healthTimeoutMs: number;
  /** The supervisor's own HTTP client for the probes. */
  client: Deno.HttpClient;
  /** Room for waiting starts may have been freed. */
  roomChanged(): void;
}

/**
 * One sweep: one `ps` for all process trees, every running server probed at
 * once (and a 1.8 server's batch figures read), launchd's servers read with
 * the same sample; then each status is published.
 *
 * @example
 * ```ts
 * await sweep({ servers: servers.values(), runner, healthTimeoutMs: 3000, client, roomChanged });
 * ```
 */
export async function sweep(parts: SweepParts): Promise<void> {
  const live = [...parts.servers].filter((s) => s.live);
  const external = parts.external;
  let once: Promise<ProcessRow[]> | undefined;
  const sample = () => once ??= sampleProcesses(parts.runner);
  const running = live.filter((s) => s.state === "running");
  const holding = () => (external?.list() ?? []).filter(OutsideCharges.holds).map((s) => s.profile_id).join();
  const heldBefore = holding();
  const timeoutMs = parts.healthTimeoutMs;
  const [rows, probes, queues] = await Promise.all([
    live.length ? sample() : [],
    sweepHealth(
      running.map((s) => ({ id: s.id, baseUrl: s.driver.baseUrl })),
      timeoutMs,
      parts.client,
    ),
    // A 1.8 server's own batch figures, for its card (the call also reaches its model process).
    Promise.all(
      running.filter((s) => s.driver.modelInChild).map(async (s) =>
        [s.id, await probeQueueStats(s.driver.baseUrl, timeoutMs, parts.client)] as const
      ),
    ).then((pairs) => new Map(pairs)),
    external?.refresh(sample),
  ]);
  // A launchd server that stopped frees room for starts waiting on the budget.
  if (holding() !== heldBefore) parts.roomChanged();
  const usage = treeUsage(rows, live.map((s) => s.driver.facts.pid).filter((p) => p !== null));
  for (const server of live) {
    if (!server.live) continue;
    server.driver.applySweep(
      usage.get(server.driver.facts.pid!) ?? null,
      probes.get(server.id),
      queues.get(server.id),
    );
    server.publish();
  }
}
