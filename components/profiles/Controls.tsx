import type { ComponentChildren, JSX } from "preact";
import { describedBy, FieldNote } from "../ui/Field.tsx";

/** Props of {@link SelectField}. */
export type SelectFieldProps = JSX.SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  name: string;
  options: { value: string; label: string }[];
  error?: string;
  hint?: string;
};

/** A labelled select with its inline error and hint. */
export function SelectField({ label, name, options, error, hint, ...select }: SelectFieldProps) {
  const id = `field-${name}`;
  return (
    <div>
      <label class="label" for={id}>{label}</label>
      <select
        {...select}
        id={id}
        name={name}
        class={`input ${error ? "input-error" : ""}`}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(id, error, hint)}
      >
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
      <FieldNote id={id} error={error} hint={hint} name={name} />
    </div>
  );
}

/** Props of {@link TextAreaField}. */
export type TextAreaFieldProps = JSX.TextareaHTMLAttributes<HTMLTextAreaElement> & {
  label: string;
  name: string;
  error?: string;
  hint?: ComponentChildren;
};

/** A labelled textarea with its inline error and hint. */
export function TextAreaField({ label, name, error, hint, ...area }: TextAreaFieldProps) {
  const id = `field-${name}`;
  return (
    <div>
      <label class="label" for={id}>{label}</label>
      <textarea
        {...area}
        id={id}
        name={name}
        class={`input ${error ? "input-error" : ""}`}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={describedBy(id, error, hint)}
      />
      <FieldNote id={id} error={error} hint={hint} name={name} />
    </div>
  );
}

/** Props of {@link CheckField}. */
export interface CheckFieldProps {
  label: string;
  name: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: string;
  error?: string;
}

/** A checkbox with its label, hint and inline error. */
export function CheckField({ label, name, checked, onChange, hint, error }: CheckFieldProps) {
  const id = `field-${name}`;
  return (
    <div>
      <label class="flex items-start gap-2 text-sm" for={id}>
        <input
          id={id}
          name={name}
          type="checkbox"
          class="mt-0.5 size-4 rounded border-slate-300"
          checked={checked}
          onChange={(e) => onChange(e.currentTarget.checked)}
          aria-describedby={describedBy(id, error, hint)}
        />
        <span class="font-medium">{label}</span>
      </label>
      <div class="pl-6">
        <FieldNote id={id} error={error} hint={hint} name={name} />
      </div>
    </div>
  );
}
