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

/** Where a toast for the next page waits (this tab only). */
const NEXT_PAGE_KEY = "mlx-manager.toast";

/**
 * Shows a toast on the next page this tab opens: for an action that
 * navigates away once it is done.
 *
 * @example
 * ```ts
 * toastOnNextPage("Saved — restart to apply", "info");
 * location.href = "/servers";
 * ```
 */
export function toastOnNextPage(message: string, kind: ToastKind = "info"): void {
  try {
    sessionStorage.setItem(NEXT_PAGE_KEY, JSON.stringify({ message, kind }));
  } catch { /* private mode: the page itself says what changed */ }
}

/** The toast the previous page left for this one, once; null when there is none. */
export function takeNextPageToast(): ToastDetail | null {
  try {
    const saved = sessionStorage.getItem(NEXT_PAGE_KEY);
    sessionStorage.removeItem(NEXT_PAGE_KEY);
    const detail = saved ? JSON.parse(saved) : null;
    return typeof detail?.message === "string"
      ? { message: detail.message, kind: detail.kind ?? "info" }
      : null;
  } catch {
    return null;
  }
}
