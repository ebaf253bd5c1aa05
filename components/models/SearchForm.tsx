import { BoundInput } from "../ui/Field.tsx";
import type { ModelSearchState } from "../../lib/client/model_search.ts";

const SORTS = [
  ["downloads", "Most downloads"],
  ["likes", "Most likes"],
  ["recent", "Recently updated"],
  ["trending", "Trending"],
] as const;

/** The search box, author and sort of the Models page. */
export function SearchForm({ search }: { search: ModelSearchState }) {
  return (
    <div class="card grid gap-2 sm:grid-cols-[1fr_12rem_12rem]">
      <BoundInput
        type="search"
        placeholder="Search MLX models…"
        aria-label="Search"
        bind={search.query}
        data-testid="search-input"
      />
      <BoundInput
        placeholder="Any author"
        aria-label="Author"
        bind={search.author}
        data-testid="author-input"
      />
      <select
        class="input"
        aria-label="Sort"
        value={search.sort.value}
        onChange={(e) => search.sort.value = e.currentTarget.value}
        data-testid="sort-select"
      >
        {SORTS.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
      </select>
    </div>
  );
}
