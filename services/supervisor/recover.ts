/**
 * After a manager restart: the recorded model servers, adopted or forgotten.
 *
 * @module
 */
import { findProfile } from "../../db/profiles.ts";
import { deleteInstance, listInstances, type ServerInstance } from "../../db/server_instances.ts";
import { commandLine } from "../platform/processes.ts";
import type { SupervisorDeps } from "./deps.ts";
import { isAlive, sameCommand } from "./process.ts";

/**
 * Adopts each recorded process that is still alive with the same command
 * line (so a reused pid is never taken for ours), and forgets the others.
 *
 * @example
 * ```ts
 * await recoverServers(deps, (profileId, instance) => serverOf(profileId).adopt(instance));
 * ```
 */
export async function recoverServers(
  deps: Pick<SupervisorDeps, "db" | "logger" | "runner">,
  adopt: (profileId: number, instance: ServerInstance) => Promise<void>,
): Promise<void> {
  const { db, logger } = deps;
  for (const instance of listInstances(db)) {
    const profile = findProfile(db, instance.profileId);
    const observed = profile && isAlive(instance.pid) ? await commandLine(deps.runner, instance.pid) : null;
    if (profile && observed && sameCommand(observed, instance.command)) {
      await adopt(profile.id, instance);
      logger.info("Adopted a model server", { profile: profile.id, pid: instance.pid });
    } else {
      deleteInstance(db, instance.profileId);
      logger.info("Cleaned up a model server that is gone", {
        profile: instance.profileId,
        pid: instance.pid,
      });
    }
  }
}
