import { useSignal } from "@preact/signals";
import type { ServerStatus } from "../lib/event_types.ts";
import { api } from "../lib/client/api.ts";
import { useCollection } from "../lib/client/collection.ts";
import { useConfirm } from "../lib/client/confirm.ts";
import { useForm } from "../lib/client/form.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import { removeItem } from "../lib/client/items.ts";
import { LIVE_STATES, serverAction, useServerStatuses } from "../lib/client/servers.ts";
import { toast } from "../lib/client/toast.ts";
import { ConfirmPrompt, FormDialog } from "../components/ui/Dialog.tsx";
import { Field } from "../components/ui/Field.tsx";
import { RowButton } from "../components/ui/Buttons.tsx";
import { StateBadge } from "../components/servers/Badges.tsx";
import type { Profile } from "../lib/profile_types.ts";

/** A profile as the list shows it. */
export type ProfileItem = Pick<Profile, typeof PROFILE_ITEM_FIELDS[number]>;

/** The fields of a profile that the list shows. */
export const PROFILE_ITEM_FIELDS = [
  "id",
  "name",
  "description",
  "model_path",
  "model_type",
  "port",
  "auto_start",
  "restart_on_crash",
] as const satisfies readonly (keyof Profile)[];

/** The part of a profile that the list shows. */
export function profileItem(p: Profile): ProfileItem {
  return Object.fromEntries(PROFILE_ITEM_FIELDS.map((k) => [k, p[k]])) as ProfileItem;
}

/** Props of {@link ProfileList}. */
export interface ProfileListProps {
  profiles: ProfileItem[];
  /** Servers that are not stopped, when the page was rendered. */
  servers: ServerStatus[];
  /** Whether edit, duplicate and delete are offered (admins only). @default true */
  canEdit?: boolean;
}

/** The profiles with their live state: start or stop, edit, duplicate under a new name, delete. */
export default function ProfileList({ profiles, servers, canEdit = true }: ProfileListProps) {
  const hydrated = useHydrated();
  const list = useCollection({ url: "/api/profiles", initial: profiles, live: "profiles.changed" });
  const statuses = useServerStatuses(servers);
  const confirm = useConfirm();
  const duplicating = useSignal<ProfileItem | null>(null);
  const copy = useForm({
    initial: { name: "" },
    labels: { name: "Name of the copy" },
    send: ({ name }) =>
      api<ProfileItem>(
        `/api/profiles/${duplicating.value!.id}/duplicate?new_name=${encodeURIComponent(name)}`,
        { method: "POST" },
      ),
    onDone: async (created) => {
      toast(`${created.name} created on port ${created.port}`, "success");
      await list.refresh();
      duplicating.value = null;
    },
  });

  const act = (p: ProfileItem, action: "start" | "stop") =>
    list.act(async () => {
      const status = await serverAction(p.id, action);
      statuses.value = { ...statuses.value, [p.id]: status };
    }, { item: p, failure: `${p.name}: `, refresh: false });

  const remove = (p: ProfileItem) =>
    confirm.ask({
      title: "Delete profile",
      message: `Delete "${p.name}"? Its server is stopped first. This cannot be undone.`,
      confirmLabel: "Delete",
      danger: true,
      run: () =>
        list.act(() => api(`/api/profiles/${p.id}`, { method: "DELETE" }), {
          done: `${p.name} deleted`,
          update: (items) => removeItem(items, p.id, (x) => x.id),
        }),
    });

  if (list.list.value.length === 0) {
    return (
      <div class="card text-center" data-testid="profile-list" data-hydrated={hydrated ? "" : undefined}>
        <p class="muted">No profiles configured yet.</p>
        {canEdit && <a href="/profiles/new" class="btn btn-primary mt-3">Create your first profile</a>}
      </div>
    );
  }

  return (
    <div data-testid="profile-list" data-hydrated={hydrated ? "" : undefined}>
      <ul class="grid grid-cols-1 gap-3">
        {list.list.value.map((p) => {
          const s = statuses.value[p.id];
          const state = s?.state ?? "stopped";
          const live = LIVE_STATES.has(state);
          const busy = list.pending.value.has(p.id);
          return (
            <li
              key={p.id}
              class="card flex flex-wrap items-start gap-3"
              data-testid="profile-card"
              data-name={p.name}
            >
              <div class="min-w-0 flex-1 basis-60">
                <div class="flex flex-wrap items-center gap-2">
                  <a href={`/profiles/${p.id}`} class="font-semibold hover:underline">{p.name}</a>
                  <StateBadge state={state} />
                  {p.auto_start && <span class="badge badge-purple">auto-start</span>}
                </div>
                {p.description && <p class="text-sm muted">{p.description}</p>}
                <p class="mono muted truncate" title={p.model_path}>{p.model_path}</p>
                <p class="text-xs muted">
                  Port {p.port} · {p.model_type}
                  {s?.pid ? ` · PID ${s.pid}` : ""}
                </p>
                {(state === "failed" || state === "crashed") && (
                  <p class="text-sm text-rose-600 dark:text-rose-400">{s?.last_error?.split("\n")[0]}</p>
                )}
              </div>
              <div class="flex flex-wrap gap-1">
                {live
                  ? (
                    <button
                      type="button"
                      class="btn btn-danger"
                      disabled={!hydrated || busy || state === "stopping"}
                      onClick={() => act(p, "stop")}
                    >
                      Stop
                    </button>
                  )
                  : (
                    <button
                      type="button"
                      class="btn btn-primary"
                      disabled={!hydrated || busy}
                      onClick={() => act(p, "start")}
                    >
                      Start
                    </button>
                  )}
                {canEdit && (
                  <>
                    <a href={`/profiles/${p.id}`} class="btn btn-secondary">Edit</a>
                    <button
                      type="button"
                      class="btn btn-secondary"
                      disabled={!hydrated}
                      onClick={() => {
                        copy.reset({ name: `${p.name} (copy)` });
                        duplicating.value = p;
                      }}
                    >
                      Duplicate
                    </button>
                    <RowButton danger disabled={!hydrated} onClick={() => remove(p)}>Delete</RowButton>
                  </>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      <ConfirmPrompt state={confirm} />
      <FormDialog
        open={duplicating.value !== null}
        title="Duplicate profile"
        onClose={() => duplicating.value = null}
        form={copy}
        submitLabel="Duplicate"
      >
        <Field
          label="Name of the copy"
          required
          maxLength={100}
          hint="The copy gets the next free port and does not start automatically"
          {...copy.text("name")}
          name="copy-name"
        />
      </FormDialog>
    </div>
  );
}
