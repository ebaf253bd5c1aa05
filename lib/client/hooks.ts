/**
 * Small hooks shared by islands.
 *
 * @module
 */
import { useEffect, useState } from "preact/hooks";

/**
 * True once the island has hydrated in the browser; islands put it on their
 * root as `data-hydrated`, which browser tests wait for.
 */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
