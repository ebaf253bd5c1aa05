/**
 * What the supervisor is built from, and the other service manager (launchd)
 * it shares the profiles with.
 *
 * @module
 */
import type { Db } from "../../db/mod.ts";
import type { Clock } from "../../lib/clock.ts";
import type { Config } from "../../lib/config.ts";
import type { ServerStatus } from "../../lib/event_types.ts";
import type { Logger } from "../../lib/logger.ts";
import type { EventBus } from "../events.ts";
import type { ProcessRow } from "../platform/processes.ts";
import type { MemorySource } from "../platform/memory.ts";
import type { CommandRunner } from "../platform/runner.ts";
import type { ServerInfoSource } from "./server_info.ts";

/**
 * Servers another service manager (launchd) runs for some profiles. For a
 * profile it owns, the supervisor neither spawns nor auto-starts a process:
 * start, stop and status go to it, and its servers are listed with the rest.
 */
export interface ExternalServers {
  owns(profileId: number): boolean;
  /** The status of an owned profile's server, or null when it is not running. */
  status(profileId: number): ServerStatus | null;
  list(): ServerStatus[];
  start(profileId: number): Promise<void>;
  stop(profileId: number): Promise<boolean>;
  /** The profile is being deleted. */
  forget(profileId: number): Promise<void>;
  /** Re-reads the servers; `sample` gives the sweep's one `ps`, shared with the supervisor's own. */
  refresh(sample?: () => Promise<ProcessRow[]>): Promise<void>;
}

/** Dependencies of the supervisor. */
export interface SupervisorDeps {
  db: Db;
  bus: EventBus;
  config: Config;
  logger: Logger;
  serverInfo: ServerInfoSource;
  /** Runs `ps` for the sweep and for adoption. */
  runner: CommandRunner;
  /** This machine's memory. */
  totalMemory: MemorySource;
  /** Servers run by launchd. */
  external?: ExternalServers;
  /** The idle timers' clock (tests move it themselves). @default systemClock */
  clock?: Clock;
}
