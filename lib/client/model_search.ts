/**
 * Hugging Face search in an island: the query, author and sort the user
 * types, debounced, with the previous request cancelled when a new one starts.
 *
 * @module
 */
import { type Signal, useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { SearchResult } from "../model_types.ts";
import { api, errorMessage } from "./api.ts";

/** Debounce before a search runs while typing. */
export const SEARCH_DEBOUNCE_MS = 400;

/** The search inputs and their results. */
export interface ModelSearchState {
  query: Signal<string>;
  author: Signal<string>;
  sort: Signal<string>;
  /** Null until the first answer (or after an error). */
  results: Signal<SearchResult[] | null>;
  searching: Signal<boolean>;
  error: Signal<string | null>;
}

/**
 * Runs `/api/models/search` whenever the inputs change while `active`.
 *
 * @example
 * ```ts
 * const search = useModelSearch(hydrated && tab.value === "search", "mlx-community");
 * ```
 */
export function useModelSearch(active: boolean, defaultAuthor: string): ModelSearchState {
  const state: ModelSearchState = {
    query: useSignal(""),
    author: useSignal(defaultAuthor),
    sort: useSignal("downloads"),
    results: useSignal<SearchResult[] | null>(null),
    searching: useSignal(false),
    error: useSignal<string | null>(null),
  };
  const inflight = useRef<AbortController | null>(null);
  const { query, author, sort, results, searching, error } = state;
  useEffect(() => {
    if (!active) return;
    const timer = setTimeout(async () => {
      inflight.current?.abort();
      const controller = new AbortController();
      inflight.current = controller;
      searching.value = true;
      const params = new URLSearchParams({ query: query.value, author: author.value, sort: sort.value });
      try {
        results.value = await api<SearchResult[]>(`/api/models/search?${params}`, {
          signal: controller.signal,
        });
        error.value = null;
      } catch (e) {
        if ((e as Error).name === "AbortError") return;
        error.value = errorMessage(e);
        results.value = null;
      }
      if (inflight.current === controller) searching.value = false;
    }, results.value === null ? 0 : SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [active, query.value, author.value, sort.value]);
  return state;
}
