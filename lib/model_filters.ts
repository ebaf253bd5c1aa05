/**
 * Filter chips of the Models page (architecture, quantization, capabilities),
 * applied to search results and local models alike. Browser-safe.
 *
 * @module
 */
import type { ModelCharacteristics } from "./model_types.ts";

/** A capability chip. */
export type Capability = "vision" | "text" | "tools";

/** The chips that are on. Empty lists mean "any". */
export interface ModelFilters {
  families: string[];
  bits: number[];
  caps: Capability[];
}

/** No filter. */
export const NO_FILTERS: ModelFilters = { families: [], bits: [], caps: [] };

/** The label of a quantization chip. */
export function bitsLabel(bits: number): string {
  return bits >= 16 ? "16-bit" : `${bits}-bit`;
}

/**
 * Whether a model passes the filters. A model with unknown characteristics
 * passes, so nothing disappears for lack of data.
 *
 * @example
 * ```ts
 * matchesFilters({ ...c, architecture_family: "Qwen" }, { families: ["Qwen"], bits: [], caps: [] }); // true
 * ```
 */
export function matchesFilters(c: ModelCharacteristics | null, f: ModelFilters): boolean {
  if (!c) return true;
  if (f.families.length && !f.families.includes(c.architecture_family)) return false;
  if (f.bits.length && (c.quantization_bits === undefined || !f.bits.includes(c.quantization_bits))) {
    return false;
  }
  for (const cap of f.caps) {
    if (cap === "vision" && !c.is_multimodal) return false;
    if (cap === "text" && c.is_multimodal) return false;
    if (cap === "tools" && !c.is_tool_use) return false;
  }
  return true;
}

/**
 * The chips worth offering for a list: the families and bit widths present in it.
 *
 * @example
 * ```ts
 * filterOptions([qwen4bit, llama8bit]); // { families: ["Llama", "Qwen"], bits: [4, 8] }
 * ```
 */
export function filterOptions(list: (ModelCharacteristics | null)[]): { families: string[]; bits: number[] } {
  const families = new Set<string>();
  const bits = new Set<number>();
  for (const c of list) {
    if (!c) continue;
    if (c.architecture_family !== "Unknown") families.add(c.architecture_family);
    if (c.quantization_bits !== undefined) bits.add(c.quantization_bits);
  }
  return { families: [...families].sort(), bits: [...bits].sort((a, b) => a - b) };
}

/** Toggles `value` in `list`. */
export function toggle<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

/**
 * A parameter count as people say it ("8B", "135M").
 *
 * @example
 * ```ts
 * formatParams(7.6e9); // "7.6B"
 * ```
 */
export function formatParams(count: number | null): string | null {
  if (!count) return null;
  if (count >= 1e9) return `${Number((count / 1e9).toFixed(1))}B`;
  return `${Math.round(count / 1e6)}M`;
}

/** A count in the short form the pages show (1.0K, 15.2K, 1.5M). */
export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
  return String(n);
}
