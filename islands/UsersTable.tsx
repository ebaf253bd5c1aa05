import { useSignal } from "@preact/signals";
import { ConfirmDialog, Dialog } from "../components/ui/Dialog.tsx";
import { BoundField } from "../components/ui/Field.tsx";
import { FormActions, RowButton } from "../components/ui/Buttons.tsx";
import { api, ApiError, errorMessage } from "../lib/client/api.ts";
import { useEvent } from "../lib/client/events.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import { toast } from "../lib/client/toast.ts";

/** A user as the API lists it. */
export interface UserItem {
  id: number;
  email: string;
  is_admin: boolean;
  status: "pending" | "approved" | "disabled";
  created_at: string;
}

/** Props of {@link UsersTable}. */
export interface UsersTableProps {
  users: UserItem[];
  /** The signed-in admin. */
  meId: number;
}

interface Action {
  label: string;
  /** Why the action is not available; shown instead of running it. */
  unavailable?: string;
  title: string;
  message: string;
  danger?: boolean;
  run: () => Promise<unknown>;
  done: string;
}

/** Why an admin cannot disable, demote or delete themselves: they would lock themselves out. */
const SELF_REASON = "You cannot disable, demote or delete your own account: ask another admin";

const BADGE = {
  pending: "badge-yellow",
  approved: "badge-green",
  disabled: "badge-red",
};

/** User administration: approve, disable, re-enable, promote, demote, reset password, delete. */
export default function UsersTable({ users, meId }: UsersTableProps) {
  const hydrated = useHydrated();
  const list = useSignal(users);
  const action = useSignal<Action | null>(null);
  const busy = useSignal(false);
  const resetFor = useSignal<UserItem | null>(null);
  const newPassword = useSignal("");
  const resetError = useSignal<string | undefined>(undefined);

  async function refresh() {
    list.value = await api<UserItem[]>("/api/auth/users");
  }
  useEvent("users.changed", () => void refresh().catch(() => {}));

  const update = (u: UserItem, body: Record<string, unknown>) => () =>
    api(`/api/auth/users/${u.id}`, { method: "PUT", body });

  function actionsFor(u: UserItem): Action[] {
    const self = u.id === meId;
    const who = self ? "your own account" : u.email;
    const out: Action[] = [];
    if (u.status === "pending") {
      out.push({
        label: "Approve",
        title: "Approve user",
        message: `Let ${who} sign in?`,
        run: update(u, { status: "approved" }),
        done: `${u.email} approved`,
      });
    }
    if (u.status === "approved") {
      out.push({
        label: "Disable",
        unavailable: self ? SELF_REASON : undefined,
        title: "Disable user",
        message: `Disable ${who}? Their sessions end at once.`,
        danger: true,
        run: update(u, { status: "disabled" }),
        done: `${u.email} disabled`,
      });
    }
    if (u.status === "disabled") {
      out.push({
        label: "Re-enable",
        title: "Re-enable user",
        message: `Let ${who} sign in again?`,
        run: update(u, { status: "approved" }),
        done: `${u.email} re-enabled`,
      });
    }
    out.push(
      u.is_admin
        ? {
          label: "Remove admin",
          unavailable: self ? SELF_REASON : undefined,
          title: "Remove admin rights",
          message: `Remove admin rights from ${who}?`,
          danger: true,
          run: update(u, { is_admin: false }),
          done: `${u.email} is no longer an admin`,
        }
        : {
          label: "Make admin",
          title: "Make admin",
          message: `Give ${who} admin rights, including user administration?`,
          run: update(u, { is_admin: true }),
          done: `${u.email} is now an admin`,
        },
    );
    out.push({
      label: "Delete",
      unavailable: self ? SELF_REASON : undefined,
      title: "Delete user",
      message: `Delete ${who}? This cannot be undone.`,
      danger: true,
      run: () => api(`/api/auth/users/${u.id}`, { method: "DELETE" }),
      done: `${u.email} deleted`,
    });
    return out;
  }

  async function confirm() {
    const current = action.value;
    if (!current) return;
    busy.value = true;
    try {
      await current.run();
      toast(current.done, "success");
      await refresh();
    } catch (error) {
      toast(errorMessage(error), "error");
    }
    busy.value = false;
    action.value = null;
  }

  async function resetPassword(event: Event) {
    event.preventDefault();
    const user = resetFor.value!;
    busy.value = true;
    try {
      await api(`/api/auth/users/${user.id}/reset-password`, {
        body: { password: newPassword.value },
      });
      toast(`Password of ${user.email} reset`, "success");
      resetFor.value = null;
    } catch (error) {
      resetError.value = error instanceof ApiError
        ? error.fields.password ?? error.message
        : errorMessage(error);
    }
    busy.value = false;
  }

  return (
    <div data-hydrated={hydrated ? "" : undefined} data-testid="users-table">
      <div class="card p-0">
        <table class="block w-full text-left text-sm sm:table">
          <thead class="hidden border-b border-slate-200 text-xs uppercase muted sm:table-header-group dark:border-slate-800">
            <tr>
              <th class="px-4 py-3">Email</th>
              <th class="px-4 py-3">Status</th>
              <th class="px-4 py-3">Role</th>
              <th class="px-4 py-3 max-lg:hidden">Registered</th>
              <th class="px-4 py-3 text-right">Actions</th>
            </tr>
          </thead>
          <tbody class="block sm:table-row-group">
            {list.value.map((u) => {
              const actions = actionsFor(u);
              const reason = actions.find((a) => a.unavailable)?.unavailable;
              return (
                <tr
                  key={u.id}
                  class="block border-b border-slate-100 py-2 last:border-0 sm:table-row sm:py-0 dark:border-slate-800"
                  data-testid="user-row"
                  data-email={u.email}
                >
                  <td class="block px-4 py-1 font-medium sm:table-cell sm:py-3">
                    <span class="break-all">{u.email}</span>
                    {u.id === meId && <span class="muted ml-1">(you)</span>}
                    {reason && (
                      <p class="text-xs font-normal muted" id={`self-${u.id}`} data-testid="self-note">
                        {reason}
                      </p>
                    )}
                  </td>
                  <td class="inline-block px-4 py-1 sm:table-cell sm:py-3">
                    <span
                      class={`badge ${BADGE[u.status]}`}
                      data-testid="user-status"
                    >
                      {u.status}
                    </span>
                  </td>
                  <td class="inline-block py-1 sm:table-cell sm:px-4 sm:py-3">
                    {u.is_admin
                      ? <span class="badge badge-purple">admin</span>
                      : <span class="muted">user</span>}
                  </td>
                  <td class="px-4 py-3 muted max-lg:hidden">
                    {new Date(u.created_at).toLocaleDateString()}
                  </td>
                  <td class="block px-4 py-1 sm:table-cell sm:py-3">
                    <div class="flex flex-wrap gap-1 sm:justify-end">
                      {actions.map((a) => (
                        <button
                          key={a.label}
                          type="button"
                          class={`btn ${a.danger ? "btn-ghost text-rose-600" : "btn-secondary"}`}
                          disabled={!hydrated || a.unavailable !== undefined}
                          title={a.unavailable}
                          aria-describedby={a.unavailable ? `self-${u.id}` : undefined}
                          onClick={() => action.value = a}
                        >
                          {a.label}
                        </button>
                      ))}
                      <RowButton
                        disabled={!hydrated}
                        onClick={() => {
                          newPassword.value = "";
                          resetError.value = undefined;
                          resetFor.value = u;
                        }}
                      >
                        Reset password
                      </RowButton>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={action.value !== null}
        title={action.value?.title ?? ""}
        message={action.value?.message ?? ""}
        confirmLabel={action.value?.label ?? "OK"}
        danger={action.value?.danger}
        busy={busy.value}
        onConfirm={confirm}
        onCancel={() => action.value = null}
      />
      <Dialog
        open={resetFor.value !== null}
        title={`Reset password of ${resetFor.value?.email ?? ""}`}
        onClose={() => resetFor.value = null}
      >
        <form class="space-y-4" onSubmit={resetPassword}>
          <BoundField
            label="New password"
            name="new-password"
            type="password"
            autoComplete="new-password"
            minLength={8}
            hint="At least 8 characters; their sessions end"
            bind={newPassword}
            error={resetError.value}
          />
          <FormActions
            submitLabel="Reset password"
            busy={busy.value}
            onCancel={() => resetFor.value = null}
          />
        </form>
      </Dialog>
    </div>
  );
}
