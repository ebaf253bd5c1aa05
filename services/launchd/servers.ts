/**
 * Model servers that launchd runs for profiles installed as LaunchAgents:
 * their status in the supervisor's shape (`managed_by: "launchd"`, with
 * health, CPU and memory), and start/stop through launchctl. The supervisor
 * asks this service before it starts, stops or lists a profile's server, so a
 * launchd-run server is never started twice and shows on the dashboard.
 *
 * @module
 */
import type { Db } from "../../db/mod.ts";
import { findProfile } from "../../db/profiles.ts";
import type { ServerStatus } from "../../lib/event_types.ts";
import type { Logger } from "../../lib/logger.ts";
import type { EventBus } from "../events.ts";
import type { ProbeResult } from "../supervisor/health.ts";
import { type ProcessRow, type TreeUsage, treeUsage } from "../platform/processes.ts";
import { serverUrl } from "../platform/dial.ts";
import type { MemorySource } from "../platform/memory.ts";
import { stopped, toStatus } from "./server_status.ts";
import { LABEL_PREFIX, profileIdOf, profileLabel } from "./job.ts";
import type { Launchd, LaunchdStatus } from "./mod.ts";

/** Dependencies of {@link LaunchdServers}. */
export interface LaunchdServersOptions {
  db: Db;
  bus: EventBus;
  launchd: Launchd;
  logger: Logger;
  /** Probes `GET {baseUrl}/health`. */
  probe(baseUrl: string): Promise<ProbeResult>;
  /** Lists the processes with one `ps` (when a refresh is not given the sweep's sample). */
  sample(): Promise<ProcessRow[]>;
  /** This machine's memory, for `memory_percent`. */
  totalMemory: MemorySource;
}

interface Entry {
  job: LaunchdStatus;
  server: ServerStatus | null;
}

/**
 * The launchd side of the supervisor (its `ExternalServers`).
 *
 * @example
 * ```ts
 * const servers = new LaunchdServers({ db, bus, launchd, logger, probe, sample, totalMemory });
 * await servers.refresh();
 * servers.owns(3); // true when com.mlx-manager.profile-3 is installed
 * ```
 */
export class LaunchdServers {
  readonly #options: LaunchdServersOptions;
  #entries = new Map<number, Entry>();

  constructor(options: LaunchdServersOptions) {
    this.#options = options;
  }

  /** Whether the profile is installed as a LaunchAgent (launchd, not the manager, runs its server). */
  owns(profileId: number): boolean {
    return this.#entries.has(profileId);
  }

  /** The status of the profile's launchd-run server, or null when launchd does not run it. */
  status(profileId: number): ServerStatus | null {
    return this.#entries.get(profileId)?.server ?? null;
  }

  /** Every launchd-run server that is running, starting or crashed. */
  list(): ServerStatus[] {
    return [...this.#entries.values()].map((e) => e.server).filter((s): s is ServerStatus => s !== null);
  }

  /** Loads the job (or starts it when loaded) and refreshes. */
  async start(profileId: number): Promise<void> {
    const { launchd } = this.#options;
    const label = profileLabel(profileId);
    const job = await launchd.status(label);
    if (!job.loaded) await launchd.load(label);
    if (!job.running) {
      // A job without RunAtLoad is loaded but idle: start it now.
      const loaded = await launchd.status(label);
      if (!loaded.running) await launchd.kickstart(label);
    }
    await this.refresh();
  }

  /** Unloads the job (its plist stays, so it comes back at login); false when it was not loaded. */
  async stop(profileId: number): Promise<boolean> {
    const stopped = await this.#options.launchd.unload(profileLabel(profileId));
    await this.refresh();
    return stopped;
  }

  /** Removes the profile's LaunchAgent (the profile is being deleted). */
  async forget(profileId: number): Promise<void> {
    if (!this.#options.launchd.available) return;
    await this.#options.launchd.uninstall(profileLabel(profileId)).catch((error) => {
      this.#options.logger.warn("Cannot remove a deleted profile's LaunchAgent", {
        profile: profileId,
        error,
      });
    });
    await this.refresh();
  }

  /**
   * Reads every installed profile job from launchd, probes the running ones,
   * takes their CPU and memory from `sample` (the sweep's one `ps`, else a
   * `ps` of its own), and publishes what changed. Off macOS it does nothing.
   */
  async refresh(sample?: () => Promise<ProcessRow[]>): Promise<void> {
    const { launchd, db } = this.#options;
    if (!launchd.available) return;
    const ids = (await launchd.installedLabels(LABEL_PREFIX))
      .map(profileIdOf)
      .filter((id): id is number => id !== null);
    const jobs = await Promise.all(ids.map(async (id) => {
      const profile = findProfile(db, id);
      const job = profile ? await launchd.status(profileLabel(id)).catch(() => null) : null;
      return { id, profile, job };
    }));
    const running = jobs.filter((j) => j.job?.running && j.job.pid !== null && j.profile);
    const [usage, probes] = await Promise.all([
      running.length
        ? (sample ?? this.#options.sample)().then((r) => treeUsage(r, running.map((j) => j.job!.pid!)))
        : new Map<number, TreeUsage>(),
      Promise.all(running.map((j) => this.#options.probe(serverUrl(j.profile!.host, j.profile!.port)))),
    ]);
    const probeOf = new Map(running.map((j, i) => [j.id, probes[i]]));

    const next = new Map<number, Entry>();
    for (const { id, profile, job } of jobs) {
      if (!profile || !job) continue;
      const previous = this.#entries.get(id)?.server ?? null;
      const server = toStatus(profile, job, previous, {
        probe: probeOf.get(id) ?? null,
        usage: job.pid === null ? null : usage.get(job.pid) ?? null,
        totalMemory: this.#options.totalMemory(),
      });
      next.set(id, { job, server });
    }
    const before = this.#entries;
    this.#entries = next;
    for (const entry of next.values()) {
      if (entry.server) this.#options.bus.publish("server.update", entry.server);
    }
    for (const [id, entry] of before) {
      const gone = entry.server && !next.get(id)?.server;
      if (gone) this.#options.bus.publish("server.update", stopped(entry.server!));
    }
  }
}
