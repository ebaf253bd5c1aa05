/**
 * Modal dialogs: a plain one, and the question asked before a consequential
 * action.
 *
 * @module
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { ConfirmState } from "../../lib/client/confirm.ts";
import type { FormState } from "../../lib/client/form.ts";
import { FormActions } from "./Buttons.tsx";
import { FormAlert } from "./Field.tsx";

/** Props of {@link Dialog}. */
export interface DialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ComponentChildren;
}

/** A modal `<dialog>` opened and closed by its `open` prop; Escape closes it. */
export function Dialog({ open, title, onClose, children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-label={title}
      onClose={onClose}
      onCancel={onClose}
    >
      {open && (
        <>
          <h2 class="mb-3 text-lg font-semibold">{title}</h2>
          {children}
        </>
      )}
    </dialog>
  );
}

/** Props of {@link ConfirmDialog}. */
export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  message: ComponentChildren;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** Asks before a consequential action. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  return (
    <Dialog open={props.open} title={props.title} onClose={props.onCancel}>
      <div class="text-sm">{props.message}</div>
      <div class="mt-5 flex justify-end gap-2">
        <button
          type="button"
          class="btn btn-secondary"
          onClick={props.onCancel}
        >
          Cancel
        </button>
        <button
          type="button"
          class={`btn ${props.danger ? "btn-danger" : "btn-primary"}`}
          disabled={props.busy}
          onClick={props.onConfirm}
          data-testid="confirm"
        >
          {props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

/**
 * The question an island's {@link ConfirmState} holds, as a {@link ConfirmDialog}.
 *
 * @example
 * ```tsx
 * const confirm = useConfirm();
 * <ConfirmPrompt state={confirm} />
 * ```
 */
export function ConfirmPrompt({ state }: { state: ConfirmState }) {
  const request = state.request.value;
  return (
    <ConfirmDialog
      open={request !== null}
      title={request?.title ?? ""}
      message={request?.message ?? ""}
      confirmLabel={request?.confirmLabel ?? "OK"}
      danger={request?.danger}
      busy={state.busy.value}
      onConfirm={state.confirm}
      onCancel={state.cancel}
    />
  );
}

/** Props of {@link FormDialog}. */
export interface FormDialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  /** The form's state from `useForm`: its submit, busy flag and error line. */
  form: Pick<FormState<object>, "submit" | "busy" | "alert">;
  submitLabel: string;
  /** The form's `data-testid`. */
  testId?: string;
  children: ComponentChildren;
}

/** A dialog holding a form: its error line, its fields, then Cancel and submit. */
export function FormDialog({ open, title, onClose, form, submitLabel, testId, children }: FormDialogProps) {
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      <form class="space-y-4" onSubmit={form.submit} data-testid={testId}>
        <FormAlert message={form.alert} />
        {children}
        <FormActions submitLabel={submitLabel} busy={form.busy.value} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
