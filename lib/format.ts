/**
 * Formatting helpers shared by the server and islands.
 *
 * @module
 */

/**
 * Formats a byte count with binary units.
 *
 * @example
 * ```ts
 * formatBytes(1536); // "1.5 KB"
 * ```
 */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) {
    return "—";
  }
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/**
 * Formats a duration in seconds as "1h 2m", "3m 4s" or "5s".
 *
 * @example
 * ```ts
 * formatDuration(3723); // "1h 2m"
 * ```
 */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) {
    return "—";
  }
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** Formats a rate in bytes per second. */
export function formatRate(bytesPerSecond: number | null | undefined): string {
  return bytesPerSecond ? `${formatBytes(bytesPerSecond)}/s` : "—";
}

/**
 * Rounds to two decimals, for figures in JSON answers (GB, MB, percent).
 *
 * @example
 * ```ts
 * round2(12.3456); // 12.35
 * ```
 */
export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * The comma-separated items of a text field, trimmed, without empty ones.
 *
 * @example
 * ```ts
 * commaList(" qwen, ,llama "); // ["qwen", "llama"]
 * ```
 */
export function commaList(text: string): string[] {
  return text.split(",").map((item) => item.trim()).filter(Boolean);
}

/** Letters whose name starts with a vowel sound: "an lm model", "an MCP server". */
const VOWEL_NAMED_LETTERS = new Set([..."aefhilmnorsx"]);

/**
 * `word` (a model type, a format, an initialism) with "a" or "an" before it,
 * by how it is said: a word with no vowel is spelled out ("lm"), so its first
 * letter's name decides; otherwise a leading vowel letter does (words said
 * with a leading "you", like "user", are not among the ones it is for).
 *
 * @example
 * ```ts
 * withArticle("lm"); // "an lm"
 * withArticle("multimodal"); // "a multimodal"
 * withArticle("embeddings"); // "an embeddings"
 * ```
 */
export function withArticle(word: string): string {
  const lower = word.toLowerCase();
  const spelled = !/[aeiouy]/.test(lower);
  const vowel = spelled ? VOWEL_NAMED_LETTERS.has(lower[0]) : /^[aeiou]/.test(lower);
  return `${vowel ? "an" : "a"} ${word}`;
}
