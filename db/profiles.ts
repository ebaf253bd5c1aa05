/**
 * The `profiles` table: how to launch one model server.
 *
 * @module
 */
import { type Db, statement } from "./mod.ts";
import type { Profile } from "../lib/profile_types.ts";
import { fieldsOfKind, fieldSpec, PROFILE_FIELD_NAMES } from "../lib/profile_fields.ts";

export type { Profile } from "../lib/profile_types.ts";

/** The fields a client sets: everything but the id and timestamps. */
export type ProfileFields = Omit<Profile, "id" | "created_at" | "updated_at">;

/** The boolean columns, stored as 0/1. */
const BOOLEANS = new Set<string>(fieldsOfKind("boolean"));

/** The list columns, stored as JSON text. */
const LISTS = new Set<string>(fieldsOfKind("list"));

/** The list columns that hold numbers. */
const NUMBER_LISTS = new Set<string>(
  fieldsOfKind("list").filter((f) => {
    const spec = fieldSpec(f);
    return spec.kind === "list" && spec.item === "number";
  }),
);

/** Every settable column. */
export const PROFILE_COLUMNS: readonly (keyof ProfileFields)[] = PROFILE_FIELD_NAMES;

function toProfile(r: Record<string, unknown>): Profile {
  const out: Record<string, unknown> = { id: Number(r.id) };
  for (const field of PROFILE_COLUMNS) {
    const value = r[field];
    out[field] = BOOLEANS.has(field)
      ? value === 1
      : LISTS.has(field)
      ? parseList(value, NUMBER_LISTS.has(field))
      : typeof value === "bigint"
      ? Number(value)
      : value;
  }
  out.created_at = String(r.created_at);
  out.updated_at = String(r.updated_at);
  return out as unknown as Profile;
}

function parseList(value: unknown, numbers: boolean): (string | number)[] {
  try {
    const list = JSON.parse(String(value ?? "[]"));
    const keep = (v: unknown) => numbers ? typeof v === "number" : typeof v === "string";
    return Array.isArray(list) ? list.filter(keep) : [];
  } catch {
    return [];
  }
}

function toColumn(field: string, value: unknown): string | number | null {
  if (BOOLEANS.has(field)) return value ? 1 : 0;
  if (LISTS.has(field)) return JSON.stringify(Array.isArray(value) ? value : []);
  return value as string | number | null;
}

/** Finds a profile by id. */
export function findProfile(db: Db, id: number): Profile | null {
  const row = statement(db, "SELECT * FROM profiles WHERE id = ?").get(id);
  return row ? toProfile(row) : null;
}

/** Finds a profile by name, compared case-insensitively. */
export function findProfileByName(db: Db, name: string): Profile | null {
  const row = statement(db, "SELECT * FROM profiles WHERE name = ?").get(name.trim());
  return row ? toProfile(row) : null;
}

/**
 * The key under which names and aliases are compared: trimmed, ASCII letters
 * in lower case — the same folding as SQLite's NOCASE and lower().
 */
export function modelNameKey(name: string): string {
  return name.trim().replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/**
 * Finds the profile a client names: by its name or any of its aliases,
 * compared case-insensitively.
 *
 * @example
 * ```ts
 * findProfileByModelName(db, "qwen")?.name; // "Qwen3 8B" (whose aliases hold "Qwen")
 * ```
 */
export function findProfileByModelName(db: Db, name: string): Profile | null {
  const wanted = name.trim();
  const row = statement(
    db,
    `SELECT * FROM profiles WHERE name = ?1
       OR EXISTS (SELECT 1 FROM json_each(profiles.aliases) WHERE lower(json_each.value) = lower(?1))
     ORDER BY name = ?1 DESC LIMIT 1`,
  ).get(wanted);
  return row ? toProfile(row) : null;
}

/** Finds the profile that uses `port`. */
export function findProfileByPort(db: Db, port: number): Profile | null {
  const row = statement(db, "SELECT * FROM profiles WHERE port = ?").get(port);
  return row ? toProfile(row) : null;
}

/**
 * Every profile, oldest first.
 *
 * @example
 * ```ts
 * listProfiles(db).map((p) => p.name); // ["Qwen3 8B", "Coder"]
 * ```
 */
export function listProfiles(db: Db): Profile[] {
  return statement(db, "SELECT * FROM profiles ORDER BY id").all().map(toProfile);
}

/** The ports every profile uses. */
export function profilePorts(db: Db): Set<number> {
  return new Set(statement(db, "SELECT port FROM profiles").all().map((r) => Number(r.port)));
}

/**
 * Inserts a profile and returns it.
 *
 * @example
 * ```ts
 * const p = insertProfile(db, { ...fields, name: "Qwen3" }, now());
 * ```
 */
export function insertProfile(db: Db, fields: ProfileFields, at: string): Profile {
  const columns = [...PROFILE_COLUMNS, "created_at", "updated_at"];
  const values = [...PROFILE_COLUMNS.map((f) => toColumn(f, fields[f])), at, at];
  const result = statement(
    db,
    `INSERT INTO profiles (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
  ).run(...values);
  return findProfile(db, Number(result.lastInsertRowid))!;
}

/** Applies the fields present in `changes` and sets `updated_at`. */
export function updateProfile(
  db: Db,
  id: number,
  changes: Partial<ProfileFields>,
  at: string,
): void {
  const fields = PROFILE_COLUMNS.filter((f) => f in changes);
  const sets = [...fields.map((f) => `${f} = ?`), "updated_at = ?"];
  statement(db, `UPDATE profiles SET ${sets.join(", ")} WHERE id = ?`).run(
    ...fields.map((f) => toColumn(f, changes[f])),
    at,
    id,
  );
}

/** Deletes a profile (its instance row goes with it). */
export function deleteProfile(db: Db, id: number): void {
  statement(db, "DELETE FROM profiles WHERE id = ?").run(id);
}
