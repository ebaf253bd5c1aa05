/**
 * `/api/system/launchd` (admins only): a profile's server as a LaunchAgent —
 * install, uninstall, status, and the plist install would write. Off macOS
 * every route but the plist preview answers 501.
 *
 * @module
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { HttpError } from "../../lib/errors.ts";
import { idParam } from "../validate.ts";
import { buildLaunchCommand } from "../../services/supervisor/command.ts";
import { profileLabel } from "../../services/launchd/job.ts";
import { profileJob } from "../../services/launchd/profile_job.ts";
import { adminOnly } from "../middleware/admin_only.ts";
import type { AppEnv } from "../env.ts";
import { promptCacheDirOf } from "../../services/supervisor/launch.ts";

/** The launchd API. */
export const launchdApi = new Hono<AppEnv>();

launchdApi.use(adminOnly());

/** The job a profile would be installed with: the supervisor's own command line. */
async function jobFor(c: Context<AppEnv>) {
  const { profiles, serverInfo, config } = c.var.deps;
  const profile = profiles.get(idParam(c, "id", "Profile"));
  const command = buildLaunchCommand(profile, await serverInfo.get(), {
    hfHome: config.hfHome,
    hfHubCache: config.hfHubCache,
    offline: config.offline,
    promptCacheDir: promptCacheDirOf(config.dataDir, profile.id),
  });
  return { profile, job: await profileJob(profile, command, config) };
}

launchdApi.get("/plist/:id", async (c) => {
  const { launchd } = c.var.deps;
  const { job } = await jobFor(c);
  return c.json({ label: job.label, plist_path: launchd.plistPath(job.label), plist: launchd.plist(job) });
});

launchdApi.post("/install/:id", async (c) => {
  const { launchd, launchdServers, supervisor } = c.var.deps;
  launchd.assertAvailable();
  const { profile, job } = await jobFor(c);
  const current = supervisor.status(profile.id);
  if (current.managed_by === "manager" && ["starting", "running", "stopping"].includes(current.state)) {
    throw new HttpError(
      409,
      `The server of "${profile.name}" is running under MLX Manager: stop it first, then install the launchd service`,
      { code: "server_running" },
    );
  }
  const installed = await launchd.install(job);
  await launchdServers.refresh();
  return c.json({ ...installed, status: await launchd.status(job.label) });
});

launchdApi.post("/uninstall/:id", async (c) => {
  const { launchd, launchdServers, profiles } = c.var.deps;
  launchd.assertAvailable();
  const profile = profiles.get(idParam(c, "id", "Profile"));
  await launchd.uninstall(profileLabel(profile.id));
  await launchdServers.refresh();
  return c.body(null, 204);
});

launchdApi.get("/status/:id", async (c) => {
  const { launchd, profiles } = c.var.deps;
  launchd.assertAvailable();
  const profile = profiles.get(idParam(c, "id", "Profile"));
  return c.json(await launchd.status(profileLabel(profile.id)));
});
