/**
 * The form that adds or changes an upstream. Use inside an island; remount
 * it (a new `key`) to start over.
 *
 * @module
 */
import { Field, FormAlert } from "../ui/Field.tsx";
import { KIND_LABEL } from "./UpstreamBadges.tsx";
import { api } from "../../lib/client/api.ts";
import { useForm } from "../../lib/client/form.ts";
import { toast } from "../../lib/client/toast.ts";
import {
  EMPTY_UPSTREAM_FORM,
  UPSTREAM_FORM_LABELS,
  upstreamBody,
  type UpstreamFormValues,
  upstreamFormValues,
} from "../../lib/upstream_form.ts";
import { UPSTREAM_KINDS, type UpstreamKind, type UpstreamView } from "../../lib/upstream_types.ts";

const PLACEHOLDER: Record<UpstreamKind, string> = {
  "mlx-manager": "http://mac-studio.local:8080/v1",
  exo: "http://mac-studio.local:52415/v1",
  openai: "http://192.168.1.20:8000/v1",
};

/** Props of {@link UpstreamForm}. */
export interface UpstreamFormProps {
  /** The upstream to change; null adds one. */
  upstream: UpstreamView | null;
  /** False until the island has hydrated. */
  ready: boolean;
  /** After a save. */
  onSaved: () => void | Promise<void>;
  /** Leaves an edit without saving. */
  onCancel: () => void;
}

/** Name, kind, base URL, key and models of an upstream. */
export function UpstreamForm({ upstream, ready, onSaved, onCancel }: UpstreamFormProps) {
  const id = upstream?.id ?? null;
  const form = useForm<UpstreamFormValues>({
    initial: upstream ? upstreamFormValues(upstream) : EMPTY_UPSTREAM_FORM,
    labels: UPSTREAM_FORM_LABELS,
    send: (values) =>
      api(id === null ? "/api/upstreams" : `/api/upstreams/${id}`, {
        method: id === null ? "POST" : "PUT",
        body: upstreamBody(values, id === null),
      }),
    onDone: async (_, values) => {
      toast(id === null ? `${values.name} added: checking it now` : `${values.name} saved`, "success");
      await onSaved();
    },
  });
  const d = form.values.value;
  return (
    <form class="card grid gap-3 md:grid-cols-2" onSubmit={form.submit} data-testid="upstream-form">
      <h2 class="font-semibold md:col-span-2">
        {id === null ? "Add an upstream" : `Change ${upstream!.name}`}
      </h2>
      <div class="md:col-span-2 empty:hidden">
        <FormAlert message={form.alert} />
      </div>
      <Field
        label="Name"
        required
        maxLength={64}
        placeholder="mac-studio"
        hint="Its models are called name/model"
        {...form.text("name")}
      />
      <div>
        <label class="label" for="field-kind">Kind</label>
        <select id="field-kind" class="input" {...form.choice("kind")}>
          {UPSTREAM_KINDS.map((k) => <option key={k} value={k}>{KIND_LABEL[k]}</option>)}
        </select>
      </div>
      <Field
        label="Base URL"
        required
        type="url"
        placeholder={PLACEHOLDER[d.kind]}
        hint="The OpenAI base URL as clients configure it, ending in /v1"
        {...form.text("base_url")}
      />
      <Field
        label="API key"
        type="password"
        autoComplete="off"
        placeholder={id === null ? "" : "Unchanged"}
        hint={d.kind === "mlx-manager"
          ? "A key created on that Mac's Keys page"
          : "Empty if the server takes none"}
        {...form.text("api_key")}
      />
      <Field
        label="Models"
        placeholder="Discover"
        hint="Empty: discovered from its /v1/models every minute; or a comma-separated list"
        {...form.text("models")}
      />
      <div class="flex flex-wrap items-center gap-4 md:pt-6">
        <label class="flex items-center gap-2 text-sm">
          <input type="checkbox" {...form.check("enabled")} />
          Enabled
        </label>
        {id !== null && (
          <label class="flex items-center gap-2 text-sm">
            <input type="checkbox" {...form.check("clearKey")} />
            Remove the stored key
          </label>
        )}
      </div>
      <div class="flex flex-wrap gap-2 md:col-span-2">
        <button type="submit" class="btn btn-primary" disabled={!ready || form.busy.value}>
          {id === null ? "Add upstream" : "Save"}
        </button>
        {id !== null && <button type="button" class="btn btn-ghost" onClick={onCancel}>Cancel</button>}
      </div>
    </form>
  );
}
