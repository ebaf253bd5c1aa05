import { useSignal } from "@preact/signals";
import { ConfirmPrompt } from "../components/ui/Dialog.tsx";
import { RowButton } from "../components/ui/Buttons.tsx";
import { type Column, Table } from "../components/ui/Table.tsx";
import { CopyText } from "../components/servers/CopyText.tsx";
import { KeyForm } from "../components/gateway/KeyForm.tsx";
import { LimitsDialog } from "../components/gateway/LimitsFields.tsx";
import { api } from "../lib/client/api.ts";
import { useCollection } from "../lib/client/collection.ts";
import { useConfirm } from "../lib/client/confirm.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import type { ApiKeyItem } from "../lib/gateway_types.ts";
import type { Limits } from "../lib/limit_types.ts";
import { limitsSummary } from "../lib/limits_form.ts";

/** Props of {@link KeysManager}. */
export interface KeysManagerProps {
  keys: ApiKeyItem[];
  /** The names of the profiles and their aliases, offered for allow-lists. */
  models: string[];
  /** Admins also see everyone's keys. */
  all: boolean;
  /** The signed-in user's own limits, which bind their keys' (null for admins, who set any). */
  bound?: Limits | null;
}

function when(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : "—";
}

/** Create (the key is shown once), list and revoke API keys. */
export default function KeysManager({ keys: initial, models, all, bound = null }: KeysManagerProps) {
  const hydrated = useHydrated();
  const keys = useCollection({ url: all ? "/api/keys?all=1" : "/api/keys", initial });
  const confirm = useConfirm();
  const created = useSignal<string | null>(null);
  const editing = useSignal<ApiKeyItem | null>(null);
  const bind = limitsSummary(bound);
  const note = bind ? `Your account allows ${bind}: a key's limits may not pass it.` : undefined;

  const revoke = (k: ApiKeyItem) =>
    confirm.ask({
      title: "Revoke key",
      message: `Revoke "${k.name}"? Tools using it stop working at once.`,
      confirmLabel: "Revoke",
      danger: true,
      run: () =>
        keys.act(() => api(`/api/keys/${k.id}`, { method: "DELETE" }), { done: `Key "${k.name}" revoked` }),
    });

  const columns: Column<ApiKeyItem>[] = [
    { label: "Name", primary: true, class: "font-medium", cell: (k) => k.name },
    { label: "Key", class: "mono", cell: (k) => `${k.prefix}_…` },
    ...(all ? [{ label: "Owner", class: "break-all", cell: (k: ApiKeyItem) => k.owner?.email ?? "—" }] : []),
    { label: "Models", cell: (k) => k.models?.join(", ") ?? <span class="muted">all</span> },
    {
      label: "Limits",
      cell: (k) => (
        <span data-testid="key-limits-summary">
          {limitsSummary(k.limits) ?? <span class="muted">none</span>}
        </span>
      ),
    },
    { label: "Last used", from: "md", class: "muted", cell: (k) => when(k.last_used_at) },
    { label: "Expires", from: "md", class: "muted", cell: (k) => when(k.expires_at) },
    {
      label: "",
      align: "right",
      bare: true,
      cell: (k) => (
        <div class="flex flex-wrap gap-1 sm:justify-end">
          <RowButton disabled={!hydrated} onClick={() => editing.value = k}>Limits</RowButton>
          <RowButton danger disabled={!hydrated} onClick={() => revoke(k)}>Revoke</RowButton>
        </div>
      ),
    },
  ];

  return (
    <div class="space-y-4" data-hydrated={hydrated ? "" : undefined} data-testid="keys-manager">
      <KeyForm
        models={models}
        ready={hydrated}
        limitsNote={note}
        onCreated={async (key) => {
          created.value = key;
          await keys.refresh();
        }}
      />
      {created.value && (
        <div class="card space-y-2 border-emerald-300" data-testid="created-key">
          <p class="text-sm font-medium">Copy the key now: it is not shown again.</p>
          <CopyText label="Key" text={created.value} />
          <button type="button" class="btn btn-ghost text-xs" onClick={() => created.value = null}>
            Done
          </button>
        </div>
      )}
      <Table
        columns={columns}
        rows={keys.list.value}
        rowKey={(k) => k.id}
        empty="No keys yet"
        rowAttrs={() => ({ "data-testid": "key-row" })}
      />
      <ConfirmPrompt state={confirm} />
      <LimitsDialog
        target={editing.value &&
          {
            title: `Limits of "${editing.value.name}"`,
            limits: editing.value.limits,
            url: `/api/keys/${editing.value.id}`,
          }}
        onClose={() => editing.value = null}
        onSaved={() => keys.refresh()}
        note={note}
      />
    </div>
  );
}
