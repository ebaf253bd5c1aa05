/**
 * The Profiles pages: the list, the new-profile form (which links can
 * prefill) and the edit form.
 *
 * @module
 */
import { Hono } from "hono";
import type { Context } from "hono";
import type { VNode } from "preact";
import { renderPage } from "../render.tsx";
import { idParam } from "../validate.ts";
import ProfileList, { profileItem } from "../../islands/ProfileList.tsx";
import ProfileForm, { type ProfileFormValues } from "../../islands/ProfileForm.tsx";
import type { ParserOptions } from "../../services/supervisor/server_info.ts";
import { adminOnly } from "../middleware/admin_only.ts";
import type { AppEnv } from "../env.ts";
import { newProfileValues, profileValues } from "./profile_values.ts";
import { launchdPanel } from "./launchd_panel.tsx";

/** Pages under `/profiles`. */
export const profilesPages = new Hono<AppEnv>();

profilesPages.get("/", (c) => {
  const { profiles, supervisor } = c.var.deps;
  const list = profiles.list().map(profileItem);
  return renderPage(
    c,
    <>
      <div class="mb-4 flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 class="page-title">Profiles</h1>
          <p class="muted text-sm">How each model server is launched.</p>
        </div>
        {c.var.user?.isAdmin && <a href="/profiles/new" class="btn btn-primary">New profile</a>}
      </div>
      <ProfileList profiles={list} servers={supervisor.list()} canEdit={c.var.user?.isAdmin === true} />
    </>,
    { title: "Profiles" },
  );
});

function formPage(
  c: Context<AppEnv>,
  title: string,
  options: ParserOptions,
  form: { profileId?: number; values: ProfileFormValues; notices: string[] },
  extra?: VNode,
) {
  return renderPage(
    c,
    <>
      <h1 class="page-title mb-4">{title}</h1>
      <ProfileForm
        profileId={form.profileId}
        values={form.values}
        notices={form.notices}
        choices={{
          model_types: options.model_types,
          tool_call_parsers: options.tool_call_parsers,
          reasoning_parsers: options.reasoning_parsers,
          message_converters: options.message_converters,
          log_levels: options.log_levels,
        }}
        server={{ installed: options.installed, version: options.version, error: options.error }}
        features={options.features}
        readOnly={!c.var.user?.isAdmin}
      />
      {extra}
    </>,
    { title },
  );
}

profilesPages.get("/new", adminOnly("Only an admin can create profiles"), async (c) => {
  const { profiles } = c.var.deps;
  const options = await profiles.options();
  const port = await profiles.nextPort().catch(() => null);
  const query = new URL(c.req.url).searchParams;
  return formPage(c, "New profile", options, newProfileValues(query, options, port));
});

profilesPages.get("/:id", async (c) => {
  const { profiles } = c.var.deps;
  const profile = profiles.get(idParam(c, "id", "Profile"));
  const options = await profiles.options();
  return formPage(c, `Edit ${profile.name}`, options, {
    profileId: profile.id,
    values: profileValues(profile),
    notices: [],
  }, c.var.user?.isAdmin ? await launchdPanel(c, profile) : undefined);
});
