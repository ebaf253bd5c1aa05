/**
 * Form fields, each shown the one way: a label, the input, then either its
 * problem (`.field-error`, `data-testid="error-<name>"`, linked by
 * `aria-describedby`) or its hint; and the form's own error line.
 *
 * @module
 */
import type { ComponentChildren, JSX } from "preact";
import type { Signal } from "@preact/signals";

/** The `aria-describedby` of an input with this id, problem and hint. */
export function describedBy(id: string, error?: string, hint?: ComponentChildren): string | undefined {
  return error ? `${id}-error` : hint ? `${id}-hint` : undefined;
}

/** Props of {@link FieldNote}. */
export interface FieldNoteProps {
  /** The input's id. */
  id: string;
  /** The input's name, which names the problem's `data-testid`. */
  name: string;
  error?: string;
  hint?: ComponentChildren;
}

/** What is said under an input: its problem, or else its hint. */
export function FieldNote({ id, name, error, hint }: FieldNoteProps) {
  if (error) return <p id={`${id}-error`} class="field-error" data-testid={`error-${name}`}>{error}</p>;
  if (!hint) return null;
  return typeof hint === "string"
    ? <p id={`${id}-hint`} class="hint">{hint}</p>
    : <div id={`${id}-hint`} class="hint">{hint}</div>;
}

/** Props of {@link Field}: an input's attributes plus its label, hint and error. */
export type FieldProps = JSX.InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  name: string;
  error?: string;
  hint?: string;
};

/** A labelled input with its inline error and hint, linked for screen readers. */
export function Field({ label, name, error, hint, id, ...input }: FieldProps) {
  const fieldId = (id as string | undefined) ?? `field-${name}`;
  return (
    <div>
      <label class="label" for={fieldId}>{label}</label>
      <input
        {...input}
        id={fieldId}
        name={name}
        class={`input ${error ? "input-error" : ""}`}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(fieldId, error, hint)}
      />
      <FieldNote id={fieldId} name={name} error={error} hint={hint} />
    </div>
  );
}

/** Props of {@link BoundField}: a {@link Field} whose value lives in a signal. */
export type BoundFieldProps = Omit<FieldProps, "value" | "onInput"> & {
  bind: Signal<string>;
  /** Called after each edit, e.g. to clear the field's error. */
  onEdit?: () => void;
};

/** A {@link Field} that shows and sets the value of `bind`. */
export function BoundField({ bind, onEdit, ...field }: BoundFieldProps) {
  return (
    <Field
      {...field}
      value={bind.value}
      onInput={(e) => {
        bind.value = e.currentTarget.value;
        onEdit?.();
      }}
    />
  );
}

/** Props of {@link BoundInput}: an input's attributes and the signal it shows and sets. */
export type BoundInputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, "value" | "onInput"> & {
  bind: Signal<string>;
};

/** An unlabelled input (name it with `aria-label`) showing and setting the value of `bind`. */
export function BoundInput({ bind, ...input }: BoundInputProps) {
  return (
    <input
      class="input"
      {...input}
      value={bind.value}
      onInput={(e) => bind.value = e.currentTarget.value}
    />
  );
}

/** The account email field of the sign-in and registration forms. */
export function EmailField(props: Omit<BoundFieldProps, "label" | "name">) {
  return <BoundField label="Email" name="email" type="email" autoComplete="username" required {...props} />;
}

/** Props of {@link AreaField}. */
export interface AreaFieldProps {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  name?: string;
  /** @default 3 */
  rows?: number;
  placeholder?: string;
  hint?: string;
  /** Shown instead of the hint. */
  error?: string;
  /** In the monospace font (commands, JSON). @default false */
  mono?: boolean;
}

/** A labelled text area with its hint or error. */
export function AreaField(
  { id, label, value, onInput, name, rows = 3, placeholder, hint, error, mono = false }: AreaFieldProps,
) {
  return (
    <div>
      <label class="label" for={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        rows={rows}
        placeholder={placeholder}
        class={`input ${mono ? "mono " : ""}${error ? "input-error" : ""}`}
        value={value}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(id, error, hint)}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      <FieldNote id={id} name={name ?? id} error={error} hint={hint} />
    </div>
  );
}

/** The form's error line above its fields (see `lib/client/form_errors.ts`); nothing when null. */
export function FormAlert({ message }: { message: string | null }) {
  return message ? <Alert kind="error">{message}</Alert> : null;
}

/** A form-level message: an error, a success or a note. */
export function Alert(
  { kind, children }: {
    kind: "error" | "success" | "info";
    children: ComponentChildren;
  },
) {
  const tone = {
    error:
      "border-rose-300 bg-rose-50 text-rose-800 dark:border-rose-800 dark:bg-rose-950/50 dark:text-rose-200",
    success:
      "border-emerald-300 bg-emerald-50 text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950/50 dark:text-emerald-200",
    info: "border-sky-300 bg-sky-50 text-sky-800 dark:border-sky-800 dark:bg-sky-950/50 dark:text-sky-200",
  }[kind];
  return (
    <div
      role={kind === "error" ? "alert" : "status"}
      class={`rounded-md border p-3 text-sm ${tone}`}
    >
      {children}
    </div>
  );
}
