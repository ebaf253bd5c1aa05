/**
 * What every managed server shares, provided by the supervisor, and the
 * small facts the server's parts agree on.
 *
 * @module
 */
import type { Db } from "../../db/mod.ts";
import type { Clock } from "../../lib/clock.ts";
import type { Config } from "../../lib/config.ts";
import { AppError } from "../../lib/errors.ts";
import type { Logger } from "../../lib/logger.ts";
import type { EventBus } from "../events.ts";
import type { ProbeResult } from "./health.ts";
import type { RunExit } from "./process_run.ts";
import type { RoomSeeker } from "./room.ts";
import type { ServerInfoSource } from "./server_info.ts";

/** What every managed server shares, provided by the supervisor. */
export interface ServerContext {
  db: Db;
  bus: EventBus;
  config: Config;
  logger: Logger;
  serverInfo: ServerInfoSource;
  /** Probes `/health` of a base URL with the configured timeout. */
  probe(baseUrl: string): Promise<ProbeResult>;
  /** The profile whose live server holds `port`, other than `profileId`. */
  portHolder(profileId: number, port: number): string | null;
  /** Total memory of this machine in bytes. */
  totalMemory(): number;
  /** Before a start for requests: stops idle servers or waits until this one fits the budget. */
  makeRoom(server: RoomSeeker): Promise<void>;
  /** A lease ended, a waiter left or a server stopped: room may have been freed. */
  roomChanged(): void;
  /** The idle timers' clock. */
  clock: Clock;
}

/** The error of anything asked of a server while the manager shuts down. */
export function shuttingDown(): AppError {
  return new AppError("unavailable", "MLX Manager is shutting down");
}

/** How a run ended, for the log and `last_error`. */
export function describeExit({ code, signal }: RunExit): string {
  if (signal) return `was killed by ${signal}`;
  if (code !== null) return `exited with code ${code}`;
  return "ended (its exit status is unknown: it was adopted after a manager restart)";
}
