/**
 * The launchd panel of the profile page (admins only): the profile's
 * LaunchAgent state, loaded before the page renders.
 *
 * @module
 */
import type { Context } from "hono";
import type { VNode } from "preact";
import type { Profile } from "../../db/profiles.ts";
import { profileLabel } from "../../services/launchd/job.ts";
import LaunchdPanel from "../../islands/LaunchdPanel.tsx";
import type { AppEnv } from "../env.ts";

/** The panel for `profile`; launchd's state is read now (null when it cannot be read). */
export async function launchdPanel(c: Context<AppEnv>, profile: Profile): Promise<VNode> {
  const { launchd, system } = c.var.deps;
  const status = launchd.available ? await launchd.status(profileLabel(profile.id)).catch(() => null) : null;
  return (
    <LaunchdPanel
      profileId={profile.id}
      available={launchd.available}
      os={system.os}
      status={status}
      autoStart={profile.auto_start}
    />
  );
}
