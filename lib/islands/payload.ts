/**
 * The page's islands payload, as the server writes it and the client reads
 * it: one JSON script element per page. Browser-safe.
 *
 * @module
 */

/** The id of the JSON payload element. */
export const PAYLOAD_ID = "__islands";

/** A signal in an island's props: an index into {@link IslandPayload.signals}. */
export interface SignalRef {
  $signal: number;
}

/** What the payload element holds. */
export interface IslandPayload {
  /** Each island's props, by the index in its `data-props` attribute. */
  props: Record<string, unknown>[];
  /** The initial value of each signal shared by the page's islands. */
  signals: unknown[];
  /** The module URL of each island on the page, by island name. */
  modules: Record<string, string>;
}
