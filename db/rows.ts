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

/** `value` as a JSON column, or NULL when it is null or missing. */
export function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** A value SQLite binds to a `?`. */
export type SqlValue = string | number | bigint | null | Uint8Array;

/**
 * The clauses whose value is present (not `undefined`), with their values in
 * the same order, for an `UPDATE … SET` or a `WHERE` built from optional parts.
 *
 * @example
 * ```ts
 * const { clauses, params } = presentClauses({ "title = ?": changes.title, "model = ?": changes.model });
 * db.prepare(`UPDATE conversations SET ${clauses.join(", ")} WHERE id = ?`).run(...params, id);
 * ```
 */
export function presentClauses(
  entries: Record<string, SqlValue | undefined>,
): { clauses: string[]; params: SqlValue[] } {
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  for (const [clause, value] of Object.entries(entries)) {
    if (value === undefined) continue;
    clauses.push(clause);
    params.push(value);
  }
  return { clauses, params };
}
