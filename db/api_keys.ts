/**
 * The `api_keys` table: keys for `/v1`, stored as a keyed hash of the secret.
 *
 * @module
 */
import { type Db, statement } from "./mod.ts";
import { jsonOrNull, nullable, nullableJson } from "./rows.ts";
import { limitsOf } from "./limits.ts";
import type { Limits } from "../lib/limit_types.ts";

/** A row of `api_keys`. */
export interface ApiKeyRow {
  id: number;
  /** The key's public part, used to find it. */
  lookup: string;
  userId: number;
  name: string;
  secretHash: string;
  /** What the key starts with, shown in lists (`mlxm_ab12cd34`). */
  prefix: string;
  /** Names the key may use; null means every model. */
  models: string[] | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  limits: Limits;
}

function toRow(r: Record<string, unknown>): ApiKeyRow {
  return {
    id: Number(r.id),
    lookup: String(r.lookup),
    userId: Number(r.user_id),
    name: String(r.name),
    secretHash: String(r.secret_hash),
    prefix: String(r.prefix),
    models: nullableJson(r.models),
    createdAt: String(r.created_at),
    expiresAt: nullable(r.expires_at, String),
    lastUsedAt: nullable(r.last_used_at, String),
    revokedAt: nullable(r.revoked_at, String),
    limits: limitsOf(r),
  };
}

/** The fields of a new key. */
export type NewApiKey = Omit<ApiKeyRow, "id" | "lastUsedAt" | "revokedAt" | "limits">;

/** Inserts a key and returns its row. */
export function insertApiKey(db: Db, key: NewApiKey): ApiKeyRow {
  const result = statement(
    db,
    `INSERT INTO api_keys (lookup, user_id, name, secret_hash, prefix, models, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    key.lookup,
    key.userId,
    key.name,
    key.secretHash,
    key.prefix,
    jsonOrNull(key.models),
    key.createdAt,
    key.expiresAt,
  );
  return findApiKey(db, Number(result.lastInsertRowid))!;
}

/** A key by id. */
export function findApiKey(db: Db, id: number): ApiKeyRow | null {
  const row = statement(db, "SELECT * FROM api_keys WHERE id = ?").get(id);
  return row ? toRow(row) : null;
}

/** A key by its public lookup part. */
export function findApiKeyByLookup(db: Db, lookup: string): ApiKeyRow | null {
  const row = statement(db, "SELECT * FROM api_keys WHERE lookup = ?").get(lookup);
  return row ? toRow(row) : null;
}

/** Keys that are not revoked, newest first; of one user, or of everyone. */
export function listApiKeys(db: Db, userId: number | null): ApiKeyRow[] {
  const rows = userId === null
    ? statement(db, "SELECT * FROM api_keys WHERE revoked_at IS NULL ORDER BY id DESC").all()
    : statement(db, "SELECT * FROM api_keys WHERE revoked_at IS NULL AND user_id = ? ORDER BY id DESC").all(
      userId,
    );
  return rows.map(toRow);
}

/** Marks a key revoked; false when it was already revoked or does not exist. */
export function revokeApiKey(db: Db, id: number, at: string): boolean {
  return statement(db, "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").run(at, id)
    .changes > 0;
}

/** Records a key's use. */
export function touchApiKey(db: Db, id: number, at: string): void {
  statement(db, "UPDATE api_keys SET last_used_at = ? WHERE id = ?").run(at, id);
}
