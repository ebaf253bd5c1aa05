/**
 * The buttons every form and list repeats: a dialog form's Cancel and
 * submit pair, a full-width submit that says when it is working, and the
 * quiet action buttons of a list row.
 *
 * @module
 */
import type { ComponentChildren, JSX } from "preact";

/** Props of {@link FormActions}. */
export interface FormActionsProps {
  /** The submit button's text. */
  submitLabel: ComponentChildren;
  onCancel: () => void;
  /** Disables the submit button while the form is sent. */
  busy?: boolean;
  /** The submit button's `data-testid`. */
  submitTestId?: string;
}

/** Cancel and submit, at the end of a dialog's form. */
export function FormActions({ submitLabel, onCancel, busy, submitTestId }: FormActionsProps) {
  return (
    <div class="flex justify-end gap-2">
      <button type="button" class="btn btn-secondary" onClick={onCancel}>Cancel</button>
      <button type="submit" class="btn btn-primary" disabled={busy} data-testid={submitTestId}>
        {submitLabel}
      </button>
    </div>
  );
}

/** Props of {@link SubmitButton}. */
export interface SubmitButtonProps {
  label: string;
  /** Shown while `busy`. */
  busyLabel: string;
  busy: boolean;
  /** False until the island has hydrated: a click before would post the page. */
  ready: boolean;
}

/** A form's full-width submit button, saying when the form is being sent. */
export function SubmitButton({ label, busyLabel, busy, ready }: SubmitButtonProps) {
  return (
    <button type="submit" class="btn btn-primary w-full" disabled={busy || !ready}>
      {busy ? busyLabel : label}
    </button>
  );
}

/** Props of {@link RowButton}: a button's attributes, and whether it destroys something. */
export type RowButtonProps = JSX.ButtonHTMLAttributes<HTMLButtonElement> & { danger?: boolean };

/** A quiet action of a list row (Edit, Remove, …); red when it destroys something. */
export function RowButton({ danger = false, children, ...button }: RowButtonProps) {
  return (
    <button type="button" {...button} class={danger ? "btn btn-ghost text-rose-600" : "btn btn-ghost"}>
      {children}
    </button>
  );
}
