/**
 * Reading SQLite row values into typed fields.
 *
 * @module
 */

/**
 * `map(value)`, or null when the column holds NULL.
 *
 * @example
 * ```ts
 * nullable(row.completed_at, String); // "2026-01-01T00:00:00.000Z" or null
 * nullable(row.total_bytes, Number);
 * ```
 */
export function nullable<T>(value: unknown, map: (v: unknown) => T): T | null {
  return value === null || value === undefined ? null : map(value);
}

/** A JSON column parsed, or null when it holds NULL. */
export function nullableJson<T>(value: unknown): T | null {
  return nullable(value, (v) => JSON.parse(String(v)) as T);
}
