import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { takeNextPageToast, TOAST_EVENT, type ToastDetail } from "../lib/client/toast.ts";
import { useEvent } from "../lib/client/events.ts";

interface Item extends ToastDetail {
  id: number;
}

const COLOURS = {
  info: "border-sky-300 dark:border-sky-700",
  success: "border-emerald-300 dark:border-emerald-700",
  error: "border-rose-300 dark:border-rose-700",
};

let nextId = 1;

/** The toast area: shows messages from {@link toast} and server notices. */
export default function Toaster() {
  const items = useSignal<Item[]>([]);

  function add(detail: ToastDetail) {
    const item = { ...detail, id: nextId++ };
    items.value = [...items.value.slice(-4), item];
    setTimeout(() => dismiss(item.id), detail.kind === "error" ? 8000 : 4000);
  }
  function dismiss(id: number) {
    items.value = items.value.filter((item) => item.id !== id);
  }

  useEffect(() => {
    const left = takeNextPageToast();
    if (left) add(left);
    const listener = (event: Event) => add((event as CustomEvent<ToastDetail>).detail);
    globalThis.addEventListener(TOAST_EVENT, listener);
    return () => globalThis.removeEventListener(TOAST_EVENT, listener);
  }, []);
  useEvent("notice", add);

  return (
    <div
      class="pointer-events-none fixed inset-x-2 bottom-4 z-50 flex flex-col items-end gap-2 sm:right-4 sm:left-auto"
      aria-live="polite"
      role="status"
      data-testid="toasts"
    >
      {items.value.map((item) => (
        <div
          key={item.id}
          class={`pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-lg border-l-4 bg-white p-3 text-sm shadow-lg dark:bg-slate-800 ${
            COLOURS[item.kind]
          }`}
          data-kind={item.kind}
        >
          <p class="flex-1 break-words">{item.message}</p>
          <button
            type="button"
            class="muted"
            aria-label="Dismiss"
            onClick={() => dismiss(item.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
