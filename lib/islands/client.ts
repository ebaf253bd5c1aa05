/**
 * Browser side of the islands layer: reads the payload, revives shared signals,
 * loads the modules of the islands on the page and renders each one into its
 * `<x-island>` element.
 *
 * @module
 */
import { type ComponentType, h, render } from "preact";
import { type Signal, signal } from "@preact/signals";
import { type IslandPayload, PAYLOAD_ID, type SignalRef } from "./payload.ts";

function revive(
  props: Record<string, unknown>,
  signals: Signal[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) {
    const ref = value as Partial<SignalRef> | null;
    const isRef = ref !== null && typeof ref === "object" &&
      !Array.isArray(ref) &&
      typeof ref.$signal === "number" && Object.keys(ref).length === 1;
    out[key] = isRef ? signals[ref.$signal as number] : value;
  }
  return out;
}

/** Hydrates every island on the page. Safe to call on a page without islands. */
export async function boot(): Promise<void> {
  const element = document.getElementById(PAYLOAD_ID);
  if (!element?.textContent) return;
  const payload = JSON.parse(element.textContent) as IslandPayload;
  const signals = payload.signals.map((value) => signal(value));
  const roots = [
    ...document.querySelectorAll<HTMLElement>("x-island[data-island]"),
  ];
  const names = [...new Set(roots.map((root) => root.dataset.island!))];
  const loaded = await Promise.all(
    names.map((name) => import(payload.modules[name])),
  );
  const components = new Map<string, ComponentType>(
    names.map((name, i) => [name, loaded[i].default as ComponentType]),
  );
  for (const root of roots) {
    const component = components.get(root.dataset.island!);
    if (!component) continue;
    const props = revive(
      payload.props[Number(root.dataset.props)] ?? {},
      signals,
    );
    render(h(component, props), root);
  }
}
