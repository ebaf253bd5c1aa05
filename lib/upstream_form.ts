/**
 * The upstream form's fields, as text, and the API body they stand for:
 * an empty key on edit keeps the stored one, and an empty model list means
 * "discover". Pure, browser-safe.
 *
 * @module
 */
import { commaList } from "./format.ts";
import type { UpstreamKind, UpstreamView } from "./upstream_types.ts";

/** The upstream form's fields. */
export interface UpstreamFormValues {
  name: string;
  kind: UpstreamKind;
  base_url: string;
  /** Empty on edit: keep the stored key. */
  api_key: string;
  /** On edit: remove the stored key. */
  clearKey: boolean;
  /** Comma-separated model ids; empty: discover them. */
  models: string;
  enabled: boolean;
}

/** The form for a new upstream. */
export const EMPTY_UPSTREAM_FORM: UpstreamFormValues = {
  name: "",
  kind: "mlx-manager",
  base_url: "",
  api_key: "",
  clearKey: false,
  models: "",
  enabled: true,
};

/** The labels of the fields, by draft key. */
export const UPSTREAM_FORM_LABELS: Readonly<Record<string, string>> = {
  name: "Name",
  kind: "Kind",
  base_url: "Base URL",
  api_key: "API key",
  models: "Models",
};

/**
 * The form values of an existing upstream (its key is never put back).
 *
 * @example
 * ```ts
 * upstreamFormValues(view).api_key; // ""
 * ```
 */
export function upstreamFormValues(u: UpstreamView): UpstreamFormValues {
  return {
    name: u.name,
    kind: u.kind,
    base_url: u.base_url,
    api_key: "",
    clearKey: false,
    models: u.models === "discover" ? "" : u.models.join(", "),
    enabled: u.enabled,
  };
}

/**
 * The body of `POST /api/upstreams` (`creating`) or `PUT /api/upstreams/:id`.
 * A key is sent when typed; on edit an empty one is left out (kept) unless
 * `clearKey` asks to remove it.
 *
 * @example
 * ```ts
 * upstreamBody({ ...EMPTY_UPSTREAM_FORM, name: "studio", base_url: "http://studio:8080/v1" }, true);
 * // { name: "studio", kind: "mlx-manager", base_url: "http://studio:8080/v1", models: "discover", enabled: true, api_key: null }
 * ```
 */
export function upstreamBody(values: UpstreamFormValues, creating: boolean): Record<string, unknown> {
  const names = commaList(values.models);
  const body: Record<string, unknown> = {
    name: values.name,
    kind: values.kind,
    base_url: values.base_url,
    models: names.length ? names : "discover",
    enabled: values.enabled,
  };
  if (values.api_key) body.api_key = values.api_key;
  else if (values.clearKey || creating) body.api_key = null;
  return body;
}
