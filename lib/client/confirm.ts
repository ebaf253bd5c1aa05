/**
 * Asking before a consequential action: an island keeps one pending
 * question, and `ConfirmPrompt` (components/ui/Dialog.tsx) shows it.
 *
 * @module
 */
import { type Signal, useSignal } from "@preact/signals";

/** A question asked before an action. */
export interface ConfirmRequest {
  title: string;
  message: string;
  /** The confirm button's text ("Revoke"). */
  confirmLabel: string;
  /** Whether the action destroys something (a red button). @default false */
  danger?: boolean;
  /** Runs once confirmed; the dialog closes when it settles. */
  run: () => Promise<unknown>;
}

/** What {@link useConfirm} gives an island. */
export interface ConfirmState {
  /** The open question, or null. */
  request: Signal<ConfirmRequest | null>;
  /** True while the confirmed action runs. */
  busy: Signal<boolean>;
  ask(request: ConfirmRequest): void;
  cancel(): void;
  /** Runs the confirmed action, then closes. */
  confirm(): Promise<void>;
}

/**
 * Keeps the question an island asks before an action.
 *
 * @example
 * ```ts
 * const confirm = useConfirm();
 * confirm.ask({ title: "Revoke key", message: `Revoke "${k.name}"?`, confirmLabel: "Revoke", danger: true, run });
 * ```
 */
export function useConfirm(): ConfirmState {
  const request = useSignal<ConfirmRequest | null>(null);
  const busy = useSignal(false);
  return {
    request,
    busy,
    ask: (next) => request.value = next,
    cancel: () => request.value = null,
    async confirm() {
      const current = request.value;
      if (!current || busy.value) return;
      busy.value = true;
      try {
        await current.run();
      } finally {
        busy.value = false;
        request.value = null;
      }
    },
  };
}
