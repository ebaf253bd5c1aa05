/**
 * The `responses` table: stored responses of `/v1/responses`, each owned by
 * the user who created it (null for an anonymous caller).
 *
 * @module
 */
import { type Db, statement } from "./mod.ts";

/** A stored response. */
export interface StoredResponse {
  id: string;
  user_id: number | null;
  previous_id: string | null;
  /** This turn's input items. */
  input: Record<string, unknown>[];
  /** This turn's output items. */
  output: Record<string, unknown>[];
  /** The response object as answered. */
  response: Record<string, unknown>;
  created_at: string;
}

function toRow(r: Record<string, unknown>): StoredResponse {
  return {
    id: String(r.id),
    user_id: r.user_id === null ? null : Number(r.user_id),
    previous_id: r.previous_id === null ? null : String(r.previous_id),
    input: JSON.parse(String(r.input)),
    output: JSON.parse(String(r.output)),
    response: JSON.parse(String(r.response)),
    created_at: String(r.created_at),
  };
}

/** Stores a response. */
export function insertResponse(db: Db, row: StoredResponse): void {
  statement(
    db,
    `INSERT INTO responses (id, user_id, previous_id, input, output, response, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    row.id,
    row.user_id,
    row.previous_id,
    JSON.stringify(row.input),
    JSON.stringify(row.output),
    JSON.stringify(row.response),
    row.created_at,
  );
}

/** The response `id` if `userId` owns it (`IS`: an anonymous caller's have no owner). */
export function findResponse(db: Db, id: string, userId: number | null): StoredResponse | null {
  const row = statement(db, "SELECT * FROM responses WHERE id = ? AND user_id IS ?").get(id, userId);
  return row ? toRow(row) : null;
}

/** Deletes the response `id` if `userId` owns it; whether it did. */
export function deleteResponse(db: Db, id: string, userId: number | null): boolean {
  return Number(
    statement(db, "DELETE FROM responses WHERE id = ? AND user_id IS ?").run(id, userId).changes,
  ) > 0;
}

/** Deletes responses created before `before` (ISO time); how many. */
export function pruneResponses(db: Db, before: string): number {
  return Number(statement(db, "DELETE FROM responses WHERE created_at < ?").run(before).changes);
}
