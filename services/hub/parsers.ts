/**
 * Parser suggestions for a model: which `--tool-call-parser`,
 * `--reasoning-parser` and `--message-converter` of the installed
 * mlx-openai-server fit it: an option whose family (and variant) the model's
 * name holds, scored by partial string similarity, the most specific first;
 * written here without a fuzzy-matching library.
 *
 * @module
 */
import type { ParserSuggestion } from "../../lib/model_types.ts";
import { FALLBACK_CHOICES } from "../supervisor/server_info.ts";

/** The option lists of the installed mlx-openai-server. */
export interface ParserLists {
  tool_call_parsers: string[];
  reasoning_parsers: string[];
  message_converters: string[];
}

/** Returns the parser lists of the installed server; the supervisor knows them once it has probed the server. */
export type ParserListsSource = () => ParserLists | Promise<ParserLists>;

/** The lists of mlx-openai-server 1.5.1, used until the installed server has been asked. */
export const FALLBACK_PARSER_LISTS: ParserLists = Object.freeze({
  tool_call_parsers: [...FALLBACK_CHOICES["--tool-call-parser"]],
  reasoning_parsers: [...FALLBACK_CHOICES["--reasoning-parser"]],
  message_converters: [...FALLBACK_CHOICES["--message-converter"]],
});

/** The kind of option being matched. */
export type ParserKind = "tool_call_parser" | "reasoning_parser" | "message_converter";

const VARIANT_WORDS = ["coder", "moe", "vl", "nano", "open"];
const THRESHOLD = 50;

function lcsLength(a: string, b: string): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = a[i - 1] === b[j - 1] ? diagonal + 1 : Math.max(row[j], row[j - 1]);
      diagonal = above;
    }
  }
  return row[b.length];
}

/** Indel similarity in percent (what rapidfuzz calls `ratio`). */
function ratio(a: string, b: string): number {
  const total = a.length + b.length;
  return total === 0 ? 100 : (200 * lcsLength(a, b)) / total;
}

/**
 * The best similarity of the shorter string against any window of the longer
 * (rapidfuzz's `partial_ratio`), in percent.
 *
 * @example
 * ```ts
 * partialRatio("qwen3-coder-32b", "qwen3_coder"); // ≈ 90.9
 * ```
 */
export function partialRatio(a: string, b: string): number {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length === 0) return long.length === 0 ? 100 : 0;
  let best = 0;
  for (let start = -(short.length - 1); start < long.length; start++) {
    const window = long.slice(Math.max(0, start), Math.min(long.length, start + short.length));
    best = Math.max(best, ratio(short, window));
    if (best === 100) break;
  }
  return best;
}

function baseFamily(option: string): string {
  return option.split("_")[0].replace(/\d/g, "");
}

function variantOf(option: string): string | null {
  const parts = option.split("_");
  return parts.length > 1 ? parts[parts.length - 1] : null;
}

/**
 * The option that best fits a model name, or null.
 *
 * @example
 * ```ts
 * bestMatch("Qwen3-Coder-32B", FALLBACK_PARSER_LISTS.tool_call_parsers, "tool_call_parser"); // "qwen3_coder"
 * bestMatch("GLM-4-9B", FALLBACK_PARSER_LISTS.message_converters, "message_converter"); // null
 * ```
 */
export function bestMatch(modelName: string, options: readonly string[], kind: ParserKind): string | null {
  const name = modelName.toLowerCase().replaceAll("_", "-");
  const candidates: { option: string; score: number }[] = [];
  for (const option of options) {
    const lower = option.toLowerCase();
    if (!name.includes(baseFamily(lower))) continue;
    const variant = variantOf(lower);
    if (variant !== null) {
      if (!name.includes(variant)) continue;
    } else if (VARIANT_WORDS.some((word) => name.includes(word))) {
      // A variant in the name leaves the more specific option free to win.
      continue;
    }
    const score = partialRatio(name, lower);
    if (score >= THRESHOLD) candidates.push({ option, score });
  }
  if (candidates.length > 0) {
    candidates.sort((x, y) => y.option.length - x.option.length || y.score - x.score);
    return candidates[0].option;
  }
  // A wrong message converter breaks requests, so only parsers fall back to a family's only option.
  if (kind === "message_converter") return null;
  const byFamily = new Map<string, string[]>();
  for (const option of options) {
    const family = baseFamily(option.toLowerCase());
    byFamily.set(family, [...(byFamily.get(family) ?? []), option]);
  }
  for (const [family, members] of byFamily) {
    if (members.length === 1 && family && name.includes(family)) return members[0];
  }
  return null;
}

/**
 * Suggested options for a model id, tried on the repository name and then on
 * the detected family (so "openai/gpt-oss-20b" with family "harmony" gets the
 * harmony parsers). Only the kinds that matched are present.
 *
 * @example
 * ```ts
 * suggestParsers("mlx-community/Qwen3-8B-4bit", FALLBACK_PARSER_LISTS);
 * // { tool_call_parser: "qwen3", reasoning_parser: "qwen3" }
 * ```
 */
export function suggestParsers(
  modelId: string,
  lists: ParserLists,
  family: string | null = null,
): ParserSuggestion {
  // The organisation is left out: "openai/…" would otherwise look like the "open" variant.
  const name = modelId.replace(/\/+$/, "").split("/").pop() ?? modelId;
  const kinds: [ParserKind, string[]][] = [
    ["tool_call_parser", lists.tool_call_parsers],
    ["reasoning_parser", lists.reasoning_parsers],
    ["message_converter", lists.message_converters],
  ];
  const result: ParserSuggestion = {};
  for (const [kind, options] of kinds) {
    const match = bestMatch(name, options, kind) ?? (family ? bestMatch(family, options, kind) : null);
    if (match) result[kind] = match;
  }
  return result;
}

/**
 * The sorted, de-duplicated union of every option (`GET /api/models/available-parsers`).
 *
 * @example
 * ```ts
 * allParsers(FALLBACK_PARSER_LISTS); // ["functiongemma", "glm4_moe", …]
 * ```
 */
export function allParsers(lists: ParserLists): string[] {
  return [...new Set([...lists.tool_call_parsers, ...lists.reasoning_parsers, ...lists.message_converters])]
    .sort();
}
