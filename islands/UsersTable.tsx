import { useSignal } from "@preact/signals";
import { ConfirmPrompt, FormDialog } from "../components/ui/Dialog.tsx";
import { Field } from "../components/ui/Field.tsx";
import { RowButton } from "../components/ui/Buttons.tsx";
import { type Column, Table } from "../components/ui/Table.tsx";
import { api } from "../lib/client/api.ts";
import { useCollection } from "../lib/client/collection.ts";
import { useConfirm } from "../lib/client/confirm.ts";
import { useForm } from "../lib/client/form.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import { toast } from "../lib/client/toast.ts";
import { userActions, type UserItem } from "../lib/user_actions.ts";
import { limitsSummary } from "../lib/limits_form.ts";
import { LimitsDialog } from "../components/gateway/LimitsFields.tsx";

export type { UserItem } from "../lib/user_actions.ts";

/** Props of {@link UsersTable}. */
export interface UsersTableProps {
  users: UserItem[];
  /** The signed-in admin. */
  meId: number;
}

const BADGE = {
  pending: "badge-yellow",
  approved: "badge-green",
  disabled: "badge-red",
};

/** User administration: approve, disable, re-enable, promote, demote, reset password, delete. */
export default function UsersTable({ users: initial, meId }: UsersTableProps) {
  const hydrated = useHydrated();
  const users = useCollection({ url: "/api/auth/users", initial, live: "users.changed" });
  const confirm = useConfirm();
  const resetFor = useSignal<UserItem | null>(null);
  const limitsFor = useSignal<UserItem | null>(null);
  const newPassword = useForm({
    initial: { password: "" },
    labels: { password: "New password" },
    send: ({ password }) =>
      api(`/api/auth/users/${resetFor.value!.id}/reset-password`, { body: { password } }),
    onDone: () => {
      toast(`Password of ${resetFor.value!.email} reset`, "success");
      resetFor.value = null;
    },
  });

  function actions(u: UserItem) {
    return (
      <div class="flex flex-wrap gap-1 sm:justify-end">
        {userActions(u, meId).map((a) => (
          <button
            key={a.label}
            type="button"
            class={`btn ${a.danger ? "btn-ghost text-rose-600" : "btn-secondary"}`}
            disabled={!hydrated || a.unavailable !== undefined}
            title={a.unavailable}
            aria-describedby={a.unavailable ? `self-${u.id}` : undefined}
            onClick={() =>
              confirm.ask({
                title: a.title,
                message: a.message,
                confirmLabel: a.label,
                danger: a.danger,
                run: () =>
                  users.act(() => api(`/api/auth/users/${u.id}`, { method: a.method, body: a.body }), {
                    done: a.done,
                  }),
              })}
          >
            {a.label}
          </button>
        ))}
        <RowButton disabled={!hydrated} onClick={() => limitsFor.value = u}>Limits</RowButton>
        <RowButton
          disabled={!hydrated}
          onClick={() => {
            newPassword.reset();
            resetFor.value = u;
          }}
        >
          Reset password
        </RowButton>
      </div>
    );
  }

  const columns: Column<UserItem>[] = [
    {
      label: "Email",
      primary: true,
      class: "font-medium",
      cell: (u) => {
        const reason = userActions(u, meId).find((a) => a.unavailable)?.unavailable;
        return (
          <>
            <span class="break-all">{u.email}</span>
            {u.id === meId && <span class="muted ml-1">(you)</span>}
            {reason && (
              <p class="text-xs font-normal muted" id={`self-${u.id}`} data-testid="self-note">{reason}</p>
            )}
          </>
        );
      },
    },
    {
      label: "Status",
      cell: (u) => <span class={`badge ${BADGE[u.status]}`} data-testid="user-status">{u.status}</span>,
    },
    {
      label: "Role",
      cell: (u) =>
        u.is_admin ? <span class="badge badge-purple">admin</span> : <span class="muted">user</span>,
    },
    {
      label: "Limits",
      cell: (u) => (
        <span data-testid="user-limits-summary">
          {limitsSummary(u.limits) ?? <span class="muted">none</span>}
        </span>
      ),
    },
    {
      label: "Registered",
      from: "lg",
      class: "muted",
      cell: (u) => new Date(u.created_at).toLocaleDateString(),
    },
    { label: "Actions", bare: true, align: "right", cell: actions },
  ];

  return (
    <div data-hydrated={hydrated ? "" : undefined} data-testid="users-table">
      <Table
        columns={columns}
        rows={users.list.value}
        rowKey={(u) => u.id}
        rowAttrs={(u) => ({ "data-testid": "user-row", "data-email": u.email })}
      />
      <ConfirmPrompt state={confirm} />
      <LimitsDialog
        target={limitsFor.value &&
          {
            title: `Limits of ${limitsFor.value.email}`,
            limits: limitsFor.value.limits,
            url: `/api/auth/users/${limitsFor.value.id}`,
          }}
        onClose={() => limitsFor.value = null}
        onSaved={() => users.refresh()}
        note="They bind all of this user's keys and sessions together."
      />
      <FormDialog
        open={resetFor.value !== null}
        title={`Reset password of ${resetFor.value?.email ?? ""}`}
        onClose={() => resetFor.value = null}
        form={newPassword}
        submitLabel="Reset password"
      >
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          minLength={8}
          hint="At least 8 characters; their sessions end"
          {...newPassword.text("password")}
          name="new-password"
        />
      </FormDialog>
    </div>
  );
}
