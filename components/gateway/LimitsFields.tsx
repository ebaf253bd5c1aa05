/**
 * The limit fields of a key or user form, and the dialog that changes a
 * key's or user's limits. Use inside an island.
 *
 * @module
 */
import { useEffect } from "preact/hooks";
import { Field } from "../ui/Field.tsx";
import { FormDialog } from "../ui/Dialog.tsx";
import { api } from "../../lib/client/api.ts";
import { toast } from "../../lib/client/toast.ts";
import { type FormState, useForm } from "../../lib/client/form.ts";
import {
  LIMITS_FORM_LABELS,
  LIMITS_FORM_RENAME,
  limitsBody,
  type LimitsFormValues,
  limitsValues,
} from "../../lib/limits_form.ts";
import { BUDGET_PERIODS, type Limits } from "../../lib/limit_types.ts";

/** Props of {@link LimitsFields}. */
export interface LimitsFieldsProps<V extends LimitsFormValues> {
  form: FormState<V>;
  /** Shown under the fields: whose limits bind these ("Your account allows …"). */
  note?: string;
  /** Makes the inputs' ids unique when two forms are on one page. */
  idPrefix: string;
}

/** Requests and tokens a minute, requests at once, and a token budget with its period. */
export function LimitsFields<V extends LimitsFormValues>({ form, note, idPrefix }: LimitsFieldsProps<V>) {
  const f = form as unknown as FormState<LimitsFormValues>;
  const number = { type: "number", min: 1, step: 1, inputMode: "numeric" as const, placeholder: "No limit" };
  return (
    <fieldset class="grid gap-3 sm:grid-cols-2" data-testid="limits-fields">
      <legend class="label mb-1">Limits (empty: none)</legend>
      <Field label={LIMITS_FORM_LABELS.rpm} {...number} {...f.text("rpm")} id={`${idPrefix}-rpm`} />
      <Field label={LIMITS_FORM_LABELS.tpm} {...number} {...f.text("tpm")} id={`${idPrefix}-tpm`} />
      <Field
        label={LIMITS_FORM_LABELS.max_parallel}
        {...number}
        {...f.text("max_parallel")}
        id={`${idPrefix}-max_parallel`}
      />
      <Field
        label={LIMITS_FORM_LABELS.budget_tokens}
        {...number}
        {...f.text("budget_tokens")}
        id={`${idPrefix}-budget_tokens`}
      />
      <div>
        <label class="label" for={`${idPrefix}-budget_period`}>{LIMITS_FORM_LABELS.budget_period}</label>
        <select id={`${idPrefix}-budget_period`} class="input" {...f.choice("budget_period")}>
          <option value="">—</option>
          {BUDGET_PERIODS.map((p) => <option key={p} value={p}>a {p}</option>)}
        </select>
        {f.errors.value.fields.budget_period && (
          <p class="field-error" data-testid="error-budget_period">{f.errors.value.fields.budget_period}</p>
        )}
      </div>
      {note && <p class="hint sm:col-span-2">{note}</p>}
    </fieldset>
  );
}

/** Props of {@link LimitsDialog}. */
export interface LimitsDialogProps {
  /** Whose limits: its title, the current limits and where they are put (`PUT` `{limits}`). */
  target: { title: string; limits: Limits | null | undefined; url: string } | null;
  onClose: () => void;
  /** Called after the limits were saved. */
  onSaved: () => void | Promise<void>;
  note?: string;
}

/** A dialog that edits one key's or user's limits. */
export function LimitsDialog({ target, onClose, onSaved, note }: LimitsDialogProps) {
  const form = useForm<LimitsFormValues>({
    initial: limitsValues(target?.limits),
    labels: LIMITS_FORM_LABELS,
    rename: LIMITS_FORM_RENAME,
    send: (values) => api(target!.url, { method: "PUT", body: { limits: limitsBody(values) } }),
    onDone: async () => {
      toast("Limits saved", "success");
      await onSaved();
      onClose();
    },
  });
  // One dialog serves every row: it shows the limits of the row it was opened for.
  useEffect(() => form.reset(limitsValues(target?.limits)), [target?.url]);
  return (
    <FormDialog
      open={target !== null}
      title={target?.title ?? ""}
      onClose={onClose}
      form={form}
      submitLabel="Save limits"
      testId="limits-form"
    >
      <LimitsFields form={form} note={note} idPrefix="limits-dialog" />
    </FormDialog>
  );
}
