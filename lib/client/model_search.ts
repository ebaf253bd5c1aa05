/**
 * Hugging Face search in an island: the query, author and sort the user
 * types, debounced, with the previous request cancelled when a new one starts.
 * The inputs live in the page's address (`?q=…&author=…&sort=…`), so a
 * reload, Back or a shared link shows the same search.
 *
 * @module
 */
import { type Signal, useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { SearchResult } from "../model_types.ts";
import { api, errorMessage } from "./api.ts";

/** Debounce before a search runs while typing. */
export const SEARCH_DEBOUNCE_MS = 400;

/** The sort a search has unless the address says another. */
export const DEFAULT_SORT = "downloads";

/** What a search asks for. */
export interface SearchInputs {
  query: string;
  /** Empty for any author. */
  author: string;
  sort: string;
}

/**
 * The search an address asks for; what it leaves out has its default.
 *
 * @example
 * ```ts
 * searchFromParams(new URLSearchParams("q=qwen"), "mlx-community");
 * // { query: "qwen", author: "mlx-community", sort: "downloads" }
 * ```
 */
export function searchFromParams(params: URLSearchParams, defaultAuthor: string): SearchInputs {
  return {
    query: params.get("q") ?? "",
    author: params.get("author") ?? defaultAuthor,
    sort: params.get("sort") || DEFAULT_SORT,
  };
}

/**
 * `params` with the search in it: only what differs from the defaults, so a
 * plain page keeps a plain address.
 *
 * @example
 * ```ts
 * searchParams({ query: "qwen", author: "", sort: "downloads" }, "mlx-community").toString(); // "q=qwen&author="
 * ```
 */
export function searchParams(
  inputs: SearchInputs,
  defaultAuthor: string,
  params: URLSearchParams = new URLSearchParams(),
): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (name: string, value: string, fallback: string) =>
    value === fallback ? next.delete(name) : next.set(name, value);
  set("q", inputs.query, "");
  set("author", inputs.author, defaultAuthor);
  set("sort", inputs.sort, DEFAULT_SORT);
  return next;
}

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
export function useModelSearch(
  active: boolean,
  defaultAuthor: string,
  initial: SearchInputs = { query: "", author: defaultAuthor, sort: DEFAULT_SORT },
): ModelSearchState {
  const state: ModelSearchState = {
    query: useSignal(initial.query),
    author: useSignal(initial.author),
    sort: useSignal(initial.sort),
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
      const inputs = { query: query.value, author: author.value, sort: sort.value };
      // The address follows the search without a new history entry per keystroke.
      const url = new URL(location.href);
      url.search = searchParams(inputs, defaultAuthor, url.searchParams).toString();
      history.replaceState(history.state, "", url);
      const params = new URLSearchParams({ query: inputs.query, author: inputs.author, sort: inputs.sort });
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
