import { useSignal } from "@preact/signals";
import { ConfirmDialog } from "../components/ui/Dialog.tsx";
import { Alert, Field } from "../components/ui/Field.tsx";
import { KIND_LABEL, UpstreamStateBadge } from "../components/upstreams/UpstreamBadges.tsx";
import { api, ApiError, errorMessage } from "../lib/client/api.ts";
import { useEvent } from "../lib/client/events.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import { toast } from "../lib/client/toast.ts";
import { UPSTREAM_KINDS, type UpstreamKind, type UpstreamView } from "../lib/upstream_types.ts";

/** Props of {@link UpstreamsManager}. */
export interface UpstreamsManagerProps {
  upstreams: UpstreamView[];
}

interface Draft {
  id: number | null;
  name: string;
  kind: UpstreamKind;
  base_url: string;
  /** Empty on edit: keep the stored key. */
  api_key: string;
  clearKey: boolean;
  models: string;
  enabled: boolean;
}

const PLACEHOLDER: Record<UpstreamKind, string> = {
  "mlx-manager": "http://mac-studio.local:8080/v1",
  exo: "http://mac-studio.local:52415/v1",
  openai: "http://192.168.1.20:8000/v1",
};

const empty = (): Draft => ({
  id: null,
  name: "",
  kind: "mlx-manager",
  base_url: "",
  api_key: "",
  clearKey: false,
  models: "",
  enabled: true,
});

function fromView(u: UpstreamView): Draft {
  return {
    id: u.id,
    name: u.name,
    kind: u.kind,
    base_url: u.base_url,
    api_key: "",
    clearKey: false,
    models: u.models === "discover" ? "" : u.models.join(", "),
    enabled: u.enabled,
  };
}

/** Register, change, check and remove the remote servers `/v1` routes to. */
export default function UpstreamsManager({ upstreams }: UpstreamsManagerProps) {
  const hydrated = useHydrated();
  const list = useSignal(upstreams);
  const draft = useSignal<Draft>(empty());
  const errors = useSignal<Record<string, string>>({});
  const removing = useSignal<UpstreamView | null>(null);
  const busy = useSignal(false);

  async function refresh() {
    list.value = await api<UpstreamView[]>("/api/upstreams");
  }
  useEvent("upstreams.changed", () => void refresh().catch(() => {}));

  const set = (patch: Partial<Draft>) => draft.value = { ...draft.value, ...patch };

  async function save(event: Event) {
    event.preventDefault();
    busy.value = true;
    errors.value = {};
    const d = draft.value;
    const names = d.models.split(",").map((m) => m.trim()).filter(Boolean);
    const body: Record<string, unknown> = {
      name: d.name,
      kind: d.kind,
      base_url: d.base_url,
      models: names.length ? names : "discover",
      enabled: d.enabled,
    };
    if (d.api_key) body.api_key = d.api_key;
    else if (d.clearKey || d.id === null) body.api_key = null;
    try {
      await api(d.id === null ? "/api/upstreams" : `/api/upstreams/${d.id}`, {
        method: d.id === null ? "POST" : "PUT",
        body,
      });
      toast(d.id === null ? `${d.name} added: checking it now` : `${d.name} saved`, "success");
      draft.value = empty();
      await refresh();
    } catch (error) {
      if (error instanceof ApiError && Object.keys(error.fields).length) errors.value = error.fields;
      else toast(errorMessage(error), "error");
    }
    busy.value = false;
  }

  async function check(u: UpstreamView) {
    busy.value = true;
    try {
      const view = await api<UpstreamView>(`/api/upstreams/${u.id}/check`, { method: "POST" });
      list.value = list.value.map((x) => x.id === view.id ? view : x);
    } catch (error) {
      toast(errorMessage(error), "error");
    }
    busy.value = false;
  }

  async function remove() {
    const u = removing.value!;
    busy.value = true;
    try {
      await api(`/api/upstreams/${u.id}`, { method: "DELETE" });
      toast(`${u.name} removed`, "success");
      await refresh();
    } catch (error) {
      toast(errorMessage(error), "error");
    }
    busy.value = false;
    removing.value = null;
  }

  const d = draft.value;
  return (
    <div class="space-y-4" data-hydrated={hydrated ? "" : undefined} data-testid="upstreams-manager">
      <form class="card grid gap-3 md:grid-cols-2" onSubmit={save} data-testid="upstream-form">
        <h2 class="font-semibold md:col-span-2">{d.id === null ? "Add an upstream" : `Change ${d.name}`}</h2>
        <Field
          label="Name"
          name="name"
          required
          maxLength={64}
          placeholder="mac-studio"
          hint="Its models are called name/model"
          value={d.name}
          onInput={(e) => set({ name: e.currentTarget.value })}
          error={errors.value.name}
        />
        <div>
          <label class="label" for="field-kind">Kind</label>
          <select
            id="field-kind"
            name="kind"
            class="input"
            value={d.kind}
            onChange={(e) => set({ kind: e.currentTarget.value as UpstreamKind })}
          >
            {UPSTREAM_KINDS.map((k) => <option key={k} value={k}>{KIND_LABEL[k]}</option>)}
          </select>
        </div>
        <Field
          label="Base URL"
          name="base_url"
          required
          type="url"
          placeholder={PLACEHOLDER[d.kind]}
          hint="The OpenAI base URL as clients configure it, ending in /v1"
          value={d.base_url}
          onInput={(e) => set({ base_url: e.currentTarget.value })}
          error={errors.value.base_url}
        />
        <Field
          label="API key"
          name="api_key"
          type="password"
          autoComplete="off"
          placeholder={d.id === null ? "" : "Unchanged"}
          hint={d.kind === "mlx-manager"
            ? "A key created on that Mac's Keys page"
            : "Empty if the server takes none"}
          value={d.api_key}
          onInput={(e) => set({ api_key: e.currentTarget.value })}
          error={errors.value.api_key}
        />
        <Field
          label="Models"
          name="models"
          placeholder="Discover"
          hint="Empty: discovered from its /v1/models every minute; or a comma-separated list"
          value={d.models}
          onInput={(e) => set({ models: e.currentTarget.value })}
          error={errors.value.models}
        />
        <div class="flex flex-wrap items-center gap-4 md:pt-6">
          <label class="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={d.enabled}
              onChange={(e) => set({ enabled: e.currentTarget.checked })}
            />
            Enabled
          </label>
          {d.id !== null && (
            <label class="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={d.clearKey}
                onChange={(e) => set({ clearKey: e.currentTarget.checked })}
              />
              Remove the stored key
            </label>
          )}
        </div>
        <div class="flex flex-wrap gap-2 md:col-span-2">
          <button type="submit" class="btn btn-primary" disabled={!hydrated || busy.value}>
            {d.id === null ? "Add upstream" : "Save"}
          </button>
          {d.id !== null && (
            <button type="button" class="btn btn-ghost" onClick={() => draft.value = empty()}>Cancel</button>
          )}
        </div>
      </form>

      {list.value.length === 0 && (
        <Alert kind="info">
          No upstreams yet. Add another Mac's MLX Manager, an exo cluster or any OpenAI-compatible server: its
          models then answer on this Mac's endpoint, with the same keys.
        </Alert>
      )}
      <ul class="grid gap-3 lg:grid-cols-2">
        {list.value.map((u) => (
          <li key={u.id} class="card space-y-2" data-testid="upstream-row" data-name={u.name}>
            <div class="flex flex-wrap items-center justify-between gap-2">
              <div class="min-w-0">
                <h3 class="truncate font-semibold">{u.name}</h3>
                <p class="muted truncate text-xs mono" title={u.base_url}>
                  {KIND_LABEL[u.kind]} · {u.base_url}
                </p>
              </div>
              <div class="flex items-center gap-2">
                {!u.enabled && <span class="badge badge-gray">Disabled</span>}
                {u.enabled && <UpstreamStateBadge state={u.state} error={u.last_error} />}
              </div>
            </div>
            {u.last_error && (
              <p class="text-sm text-rose-700 dark:text-rose-300" data-testid="upstream-error">
                {u.last_error}
              </p>
            )}
            <p class="muted text-xs">
              {u.latency_ms !== null && `${u.latency_ms} ms · `}
              {u.checked_at ? `checked ${new Date(u.checked_at).toLocaleTimeString()}` : "not checked yet"}
              {" · "}
              {u.has_api_key ? "key stored" : "no key"}
            </p>
            <div class="flex flex-wrap gap-1" data-testid="upstream-models">
              {u.served.length === 0 && <span class="muted text-sm">No models known</span>}
              {u.served.map((m) => (
                <span
                  key={m.id}
                  class={`badge ${m.loaded ? "badge-green" : "badge-gray"}`}
                  title={m.state ?? undefined}
                >
                  {u.name}/{m.id}
                </span>
              ))}
            </div>
            <div class="flex flex-wrap gap-2">
              <button
                type="button"
                class="btn btn-secondary"
                disabled={!hydrated || busy.value}
                onClick={() =>
                  check(u)}
              >
                Check now
              </button>
              <button
                type="button"
                class="btn btn-ghost"
                disabled={!hydrated}
                onClick={() => {
                  draft.value = fromView(u);
                  errors.value = {};
                }}
              >
                Edit
              </button>
              <button
                type="button"
                class="btn btn-ghost text-rose-600"
                disabled={!hydrated}
                onClick={() =>
                  removing.value = u}
              >
                Remove
              </button>
            </div>
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={removing.value !== null}
        title="Remove upstream"
        message={`Remove "${removing.value?.name ?? ""}"? Its models stop answering here at once.`}
        confirmLabel="Remove"
        danger
        busy={busy.value}
        onConfirm={remove}
        onCancel={() => removing.value = null}
      />
    </div>
  );
}
