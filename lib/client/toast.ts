/**
 * Toast messages: any island calls {@link toast}; the Toaster island shows them.
 *
 * @module
 */

/** The window event that carries a toast. */
export const TOAST_EVENT = "mlx:toast";

/** The kind of a toast, which decides its colour and how long it stays. */
export type ToastKind = "info" | "success" | "error";

/** The detail of a toast event. */
export interface ToastDetail {
  message: string;
  kind: ToastKind;
}

/**
 * Shows a toast.
 *
 * @example
 * ```ts
 * toast("Server started", "success");
 * ```
 */
export function toast(message: string, kind: ToastKind = "info"): void {
  globalThis.dispatchEvent(
    new CustomEvent<ToastDetail>(TOAST_EVENT, { detail: { message, kind } }),
  );
}
