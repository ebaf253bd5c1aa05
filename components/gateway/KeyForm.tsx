/**
 * The form that creates an API key. Use inside an island.
 *
 * @module
 */
import { Field, FormAlert } from "../ui/Field.tsx";
import { LimitsFields } from "./LimitsFields.tsx";
import { api } from "../../lib/client/api.ts";
import { useForm } from "../../lib/client/form.ts";
import type { ApiKeyItem } from "../../lib/gateway_types.ts";
import {
  EMPTY_KEY_FORM,
  KEY_FORM_LABELS,
  KEY_FORM_RENAME,
  keyBody,
  type KeyFormValues,
} from "../../lib/key_form.ts";

/** Props of {@link KeyForm}. */
export interface KeyFormProps {
  /** The names of the profiles and their aliases, offered for allow-lists. */
  models: string[];
  /** False until the island has hydrated. */
  ready: boolean;
  /** Called with the new key (shown once) after it is created. */
  onCreated: (key: string) => void | Promise<void>;
  /** What binds the new key's limits ("Your account allows 10 rpm"); none for admins. */
  limitsNote?: string;
}

/** Name, expiry, allowed models and limits of a new key. */
export function KeyForm({ models, ready, onCreated, limitsNote }: KeyFormProps) {
  const form = useForm<KeyFormValues, { key: string }>({
    initial: EMPTY_KEY_FORM,
    labels: KEY_FORM_LABELS,
    rename: KEY_FORM_RENAME,
    send: (values) => api<ApiKeyItem & { key: string }>("/api/keys", { body: keyBody(values, Date.now()) }),
    onDone: async ({ key }) => {
      form.reset();
      await onCreated(key);
    },
  });
  return (
    <form class="card grid gap-3 sm:grid-cols-4 sm:items-end" onSubmit={form.submit}>
      <div class="sm:col-span-4 empty:hidden">
        <FormAlert message={form.alert} />
      </div>
      <Field
        label={KEY_FORM_LABELS.name}
        required
        maxLength={100}
        placeholder="Cursor on my laptop"
        {...form.text("name")}
      />
      <Field
        label={KEY_FORM_LABELS.days}
        type="number"
        min={1}
        hint="Empty: never"
        {...form.text("days")}
      />
      <Field
        label={KEY_FORM_LABELS.models}
        list="key-models"
        hint="Comma-separated; empty: all"
        {...form.text("models")}
      />
      <datalist id="key-models">{models.map((m) => <option key={m} value={m} />)}</datalist>
      <details class="sm:col-span-4 sm:order-last" data-testid="key-limits">
        <summary class="cursor-pointer text-sm muted">Limits</summary>
        <div class="mt-3">
          <LimitsFields form={form} note={limitsNote} idPrefix="new-key" />
        </div>
      </details>
      <button type="submit" class="btn btn-primary" disabled={!ready || form.busy.value}>Create key</button>
    </form>
  );
}
