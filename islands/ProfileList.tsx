import { useSignal } from "@preact/signals";
import type { ServerStatus } from "../lib/event_types.ts";
import { api, ApiError, errorMessage } from "../lib/client/api.ts";
import { useEvent } from "../lib/client/events.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import { LIVE_STATES, serverAction, useServerStatuses } from "../lib/client/servers.ts";
import { toast } from "../lib/client/toast.ts";
import { ConfirmDialog, Dialog } from "../components/ui/Dialog.tsx";
import { BoundField } from "../components/ui/Field.tsx";
import { FormActions, RowButton } from "../components/ui/Buttons.tsx";
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
  const list = useSignal(profiles);
  const statuses = useServerStatuses(servers);
  const busy = useSignal<Record<number, boolean>>({});
  const deleting = useSignal<ProfileItem | null>(null);
  const duplicating = useSignal<ProfileItem | null>(null);
  const copyName = useSignal("");
  const copyError = useSignal<string | undefined>(undefined);
  const working = useSignal(false);

  async function refresh() {
    list.value = await api<ProfileItem[]>("/api/profiles");
  }
  useEvent("profiles.changed", () => void refresh().catch(() => {}));

  async function act(p: ProfileItem, action: "start" | "stop") {
    busy.value = { ...busy.value, [p.id]: true };
    try {
      const status = await serverAction(p.id, action);
      statuses.value = { ...statuses.value, [p.id]: status };
    } catch (error) {
      toast(`${p.name}: ${errorMessage(error)}`, "error");
    }
    busy.value = { ...busy.value, [p.id]: false };
  }

  async function remove() {
    const p = deleting.value!;
    working.value = true;
    try {
      await api(`/api/profiles/${p.id}`, { method: "DELETE" });
      toast(`${p.name} deleted`, "success");
      list.value = list.value.filter((x) => x.id !== p.id);
      deleting.value = null;
    } catch (error) {
      toast(errorMessage(error), "error");
    }
    working.value = false;
  }

  async function duplicate(event: Event) {
    event.preventDefault();
    const p = duplicating.value!;
    working.value = true;
    try {
      const copy = await api<ProfileItem>(
        `/api/profiles/${p.id}/duplicate?new_name=${encodeURIComponent(copyName.value)}`,
        { method: "POST" },
      );
      toast(`${copy.name} created on port ${copy.port}`, "success");
      await refresh();
      duplicating.value = null;
    } catch (error) {
      copyError.value = error instanceof ApiError ? error.fields.name ?? error.message : errorMessage(error);
    }
    working.value = false;
  }

  if (list.value.length === 0) {
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
        {list.value.map((p) => {
          const s = statuses.value[p.id];
          const state = s?.state ?? "stopped";
          const live = LIVE_STATES.has(state);
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
                      disabled={!hydrated || busy.value[p.id] || state === "stopping"}
                      onClick={() => act(p, "stop")}
                    >
                      Stop
                    </button>
                  )
                  : (
                    <button
                      type="button"
                      class="btn btn-primary"
                      disabled={!hydrated || busy.value[p.id]}
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
                        copyName.value = `${p.name} (copy)`;
                        copyError.value = undefined;
                        duplicating.value = p;
                      }}
                    >
                      Duplicate
                    </button>
                    <RowButton
                      danger
                      disabled={!hydrated}
                      onClick={() => deleting.value = p}
                    >
                      Delete
                    </RowButton>
                  </>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      <ConfirmDialog
        open={deleting.value !== null}
        title="Delete profile"
        message={`Delete "${
          deleting.value?.name ?? ""
        }"? Its server is stopped first. This cannot be undone.`}
        confirmLabel="Delete"
        danger
        busy={working.value}
        onConfirm={remove}
        onCancel={() => deleting.value = null}
      />
      <Dialog
        open={duplicating.value !== null}
        title="Duplicate profile"
        onClose={() => duplicating.value = null}
      >
        <form class="space-y-4" onSubmit={duplicate}>
          <BoundField
            label="Name of the copy"
            name="copy-name"
            required
            maxLength={100}
            hint="The copy gets the next free port and does not start automatically"
            bind={copyName}
            error={copyError.value}
          />
          <FormActions
            submitLabel="Duplicate"
            busy={working.value}
            onCancel={() => duplicating.value = null}
          />
        </form>
      </Dialog>
    </div>
  );
}
