/**
 * Runs an island hook outside a browser: the hook is called once inside a
 * server render, and what it returns (signals and functions) is used after.
 * Effects do not run, so a hook's event subscriptions are left out.
 *
 * @module
 */
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { TOAST_EVENT, type ToastDetail } from "../../lib/client/toast.ts";

/**
 * What `hook` returns when called with `args` in a component.
 *
 * @example
 * ```ts
 * const form = mountHook(useForm, { initial: { name: "" }, labels: {}, send });
 * ```
 */
export function mountHook<A extends unknown[], T>(hook: (...args: A) => T, ...args: A): T {
  let out: T | undefined;
  function Probe() {
    out = hook(...args);
    return null;
  }
  renderToString(h(Probe, {}));
  return out as T;
}

/** The toasts shown while `fn` runs. */
export async function toastsDuring(fn: () => Promise<unknown>): Promise<ToastDetail[]> {
  const seen: ToastDetail[] = [];
  const listener = (event: Event) => seen.push((event as CustomEvent).detail);
  globalThis.addEventListener(TOAST_EVENT, listener);
  try {
    await fn();
  } finally {
    globalThis.removeEventListener(TOAST_EVENT, listener);
  }
  return seen;
}
