/**
 * The `users` table.
 *
 * @module
 */
import { type Db, statement } from "./mod.ts";
import { nullable, presentClauses } from "./rows.ts";
import { limitsOf } from "./limits.ts";
import type { Limits } from "../lib/limit_types.ts";

/** Account approval states. */
export const USER_STATUSES = ["pending", "approved", "disabled"] as const;

/** An account's approval state. */
export type UserStatus = typeof USER_STATUSES[number];

/** A row of `users`, including the secret columns. */
export interface UserRow {
  id: number;
  email: string;
  passwordHash: string;
  isAdmin: boolean;
  status: UserStatus;
  tokenVersion: number;
  createdAt: string;
  approvedAt: string | null;
  approvedBy: number | null;
  /** Limits binding all of the user's keys together. */
  limits: Limits;
}

/** The key used to compare emails: trimmed and lower case. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

function toRow(r: Record<string, unknown>): UserRow {
  return {
    id: Number(r.id),
    email: String(r.email),
    passwordHash: String(r.password_hash),
    isAdmin: r.is_admin === 1,
    status: r.status as UserStatus,
    tokenVersion: Number(r.token_version),
    createdAt: String(r.created_at),
    approvedAt: nullable(r.approved_at, String),
    approvedBy: nullable(r.approved_by, Number),
    limits: limitsOf(r),
  };
}

/** Finds a user by id. */
export function findUser(db: Db, id: number): UserRow | null {
  const row = statement(db, "SELECT * FROM users WHERE id = ?").get(id);
  return row ? toRow(row) : null;
}

/** Finds a user by email, compared case-insensitively. */
export function findUserByEmail(db: Db, email: string): UserRow | null {
  const row = statement(db, "SELECT * FROM users WHERE email_key = ?").get(
    emailKey(email),
  );
  return row ? toRow(row) : null;
}

/** Every user, newest first. */
export function listUsers(db: Db): UserRow[] {
  return statement(db, "SELECT * FROM users ORDER BY created_at DESC, id DESC")
    .all().map(toRow);
}

/** Counts users, optionally only those matching a condition. */
export function countUsers(
  db: Db,
  where: { status?: UserStatus; isAdmin?: boolean } = {},
): number {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  if (where.status) {
    clauses.push("status = ?");
    params.push(where.status);
  }
  if (where.isAdmin !== undefined) {
    clauses.push("is_admin = ?");
    params.push(where.isAdmin ? 1 : 0);
  }
  const sql = `SELECT count(*) AS n FROM users${clauses.length ? ` WHERE ${clauses.join(" AND ")}` : ""}`;
  return Number(statement(db, sql).get(...params)!.n);
}

/** Inserts a user and returns it. */
export function insertUser(
  db: Db,
  user: Pick<UserRow, "email" | "passwordHash" | "isAdmin" | "status"> & { now: string },
): UserRow {
  const approvedAt = user.status === "approved" ? user.now : null;
  const result = statement(
    db,
    `INSERT INTO users (email, email_key, password_hash, is_admin, status, created_at, approved_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    user.email.trim(),
    emailKey(user.email),
    user.passwordHash,
    user.isAdmin ? 1 : 0,
    user.status,
    user.now,
    approvedAt,
  );
  return findUser(db, Number(result.lastInsertRowid))!;
}

/** The columns {@link updateUser} may change. */
export interface UserChanges {
  email?: string;
  passwordHash?: string;
  isAdmin?: boolean;
  status?: UserStatus;
  approvedAt?: string;
  approvedBy?: number;
  /** Revokes every token issued so far. */
  bumpTokenVersion?: boolean;
}

/** Applies `changes` to a user. */
export function updateUser(db: Db, id: number, changes: UserChanges): void {
  const { clauses: sets, params } = presentClauses({
    "email = ?": changes.email?.trim(),
    "email_key = ?": changes.email === undefined ? undefined : emailKey(changes.email),
    "password_hash = ?": changes.passwordHash,
    "is_admin = ?": changes.isAdmin === undefined ? undefined : changes.isAdmin ? 1 : 0,
    "status = ?": changes.status,
    "approved_at = ?": changes.approvedAt,
    "approved_by = ?": changes.approvedBy,
  });
  if (changes.bumpTokenVersion) sets.push("token_version = token_version + 1");
  if (sets.length === 0) return;
  statement(db, `UPDATE users SET ${sets.join(", ")} WHERE id = ?`).run(
    ...params,
    id,
  );
}

/** Deletes a user. */
export function deleteUser(db: Db, id: number): void {
  statement(db, "DELETE FROM users WHERE id = ?").run(id);
}
