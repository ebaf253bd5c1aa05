import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

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
