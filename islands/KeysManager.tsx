import { useSignal } from "@preact/signals";
import { ConfirmDialog } from "../components/ui/Dialog.tsx";
import { BoundField } from "../components/ui/Field.tsx";
import { RowButton } from "../components/ui/Buttons.tsx";
import { CopyText } from "../components/servers/CopyText.tsx";
import { api, ApiError, errorMessage } from "../lib/client/api.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import { toast } from "../lib/client/toast.ts";
import type { ApiKeyItem } from "../lib/gateway_types.ts";

/** Props of {@link KeysManager}. */
export interface KeysManagerProps {
  keys: ApiKeyItem[];
  /** The names of the profiles and their aliases, offered for allow-lists. */
  models: string[];
  /** Admins also see everyone's keys. */
  all: boolean;
}

function when(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : "—";
}

/** Create (the key is shown once), list and revoke API keys. */
export default function KeysManager({ keys, models, all }: KeysManagerProps) {
  const hydrated = useHydrated();
  const list = useSignal(keys);
  const name = useSignal("");
  const days = useSignal("");
  const allowed = useSignal("");
  const errors = useSignal<Record<string, string>>({});
  const created = useSignal<string | null>(null);
  const revoking = useSignal<ApiKeyItem | null>(null);
  const busy = useSignal(false);

  async function refresh() {
    list.value = await api<ApiKeyItem[]>(all ? "/api/keys?all=1" : "/api/keys");
  }

  async function create(event: Event) {
    event.preventDefault();
    busy.value = true;
    errors.value = {};
    const names = allowed.value.split(",").map((m) => m.trim()).filter(Boolean);
    const expires = Number(days.value) > 0 ? new Date(Date.now() + Number(days.value) * 86_400_000) : null;
    try {
      const key = await api<ApiKeyItem & { key: string }>("/api/keys", {
        body: {
          name: name.value,
          expires_at: expires?.toISOString() ?? null,
          models: names.length ? names : null,
        },
      });
      created.value = key.key;
      name.value = days.value = allowed.value = "";
      await refresh();
    } catch (error) {
      if (error instanceof ApiError && Object.keys(error.fields).length) errors.value = error.fields;
      else toast(errorMessage(error), "error");
    }
    busy.value = false;
  }

  async function revoke() {
    const key = revoking.value!;
    busy.value = true;
    try {
      await api(`/api/keys/${key.id}`, { method: "DELETE" });
      toast(`Key "${key.name}" revoked`, "success");
      await refresh();
    } catch (error) {
      toast(errorMessage(error), "error");
    }
    busy.value = false;
    revoking.value = null;
  }

  return (
    <div class="space-y-4" data-hydrated={hydrated ? "" : undefined} data-testid="keys-manager">
      <form class="card grid gap-3 sm:grid-cols-4 sm:items-end" onSubmit={create}>
        <BoundField
          label="Name"
          name="name"
          required
          maxLength={100}
          placeholder="Cursor on my laptop"
          bind={name}
          error={errors.value.name}
        />
        <BoundField
          label="Expires after (days)"
          name="days"
          type="number"
          min={1}
          hint="Empty: never"
          bind={days}
          error={errors.value.expires_at}
        />
        <BoundField
          label="Only these models"
          name="models"
          list="key-models"
          hint="Comma-separated; empty: all"
          bind={allowed}
          error={errors.value.models}
        />
        <datalist id="key-models">{models.map((m) => <option key={m} value={m} />)}</datalist>
        <button type="submit" class="btn btn-primary" disabled={!hydrated || busy.value}>Create key</button>
      </form>
      {created.value && (
        <div class="card space-y-2 border-emerald-300" data-testid="created-key">
          <p class="text-sm font-medium">Copy the key now: it is not shown again.</p>
          <CopyText label="Key" text={created.value} />
          <button type="button" class="btn btn-ghost text-xs" onClick={() => created.value = null}>
            Done
          </button>
        </div>
      )}
      <div class="card overflow-x-auto p-0">
        <table class="w-full text-left text-sm">
          <thead class="border-b border-slate-200 text-xs uppercase muted dark:border-slate-800">
            <tr>
              <th class="px-4 py-3">Name</th>
              <th class="px-4 py-3">Key</th>
              {all && <th class="px-4 py-3">Owner</th>}
              <th class="px-4 py-3">Models</th>
              <th class="hidden px-4 py-3 md:table-cell">Last used</th>
              <th class="hidden px-4 py-3 md:table-cell">Expires</th>
              <th class="px-4 py-3 text-right"></th>
            </tr>
          </thead>
          <tbody>
            {list.value.length === 0 && (
              <tr>
                <td class="px-4 py-6 text-center muted" colSpan={7}>No keys yet</td>
              </tr>
            )}
            {list.value.map((k) => (
              <tr
                key={k.id}
                class="border-b border-slate-100 last:border-0 dark:border-slate-800"
                data-testid="key-row"
              >
                <td class="px-4 py-3 font-medium">{k.name}</td>
                <td class="px-4 py-3 mono">{k.prefix}_…</td>
                {all && <td class="px-4 py-3 break-all">{k.owner?.email ?? "—"}</td>}
                <td class="px-4 py-3">{k.models?.join(", ") ?? <span class="muted">all</span>}</td>
                <td class="hidden px-4 py-3 muted md:table-cell">{when(k.last_used_at)}</td>
                <td class="hidden px-4 py-3 muted md:table-cell">{when(k.expires_at)}</td>
                <td class="px-4 py-3 text-right">
                  <RowButton
                    danger
                    disabled={!hydrated}
                    onClick={() => revoking.value = k}
                  >
                    Revoke
                  </RowButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={revoking.value !== null}
        title="Revoke key"
        message={`Revoke "${revoking.value?.name ?? ""}"? Tools using it stop working at once.`}
        confirmLabel="Revoke"
        danger
        busy={busy.value}
        onConfirm={revoke}
        onCancel={() => revoking.value = null}
      />
    </div>
  );
}
