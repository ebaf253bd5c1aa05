/**
 * The data dir at start: one manager per data dir (a lock held as long as
 * the process lives), open failures turned into messages that name the path
 * and say what to do, and its privacy: the folder is 0700 and every file in
 * it (database, WAL, KV store, logs, secrets) 0600, made so at creation and
 * corrected at start for an install made before.
 *
 * @module
 */
import { DatabaseSync } from "node:sqlite";
import { dirname, join } from "node:path";
import { AppError } from "../lib/errors.ts";
import { type Db, openDb } from "./mod.ts";

/** The mode of every file the manager keeps: its user's alone. */
export const PRIVATE_FILE_MODE = 0o600;
/** The mode of the data dir and of its folders. */
export const PRIVATE_DIR_MODE = 0o700;

/** SQLite's files beside a database, created by SQLite with the database file's own mode. */
const SQLITE_SIDE_FILES = ["-wal", "-shm", "-journal"];

/** Sets `mode` on `path` when it is a file or folder (never through a link) that has another one. */
function restrict(path: string, mode: number): void {
  try {
    const info = Deno.lstatSync(path);
    if (info.isSymlink || info.mode === null || (info.mode & 0o777) === mode) return;
    Deno.chmodSync(path, mode);
  } catch { /* gone, not this user's, or a system without modes */ }
}

/** Creates `dir` (and its parents) owner-only when missing, and makes it owner-only. */
export function privateDir(dir: string): void {
  Deno.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  restrict(dir, PRIVATE_DIR_MODE);
}

/**
 * Creates `path` empty and owner-only when missing, and makes it (and an
 * SQLite database's WAL, shared-memory and journal files) owner-only. SQLite
 * gives those files the database file's mode, so a database opened on it
 * keeps them private too.
 *
 * @example
 * ```ts
 * privateFile("/Users/ada/.mlx-manager/kv.sqlite3");
 * const kv = await Deno.openKv("/Users/ada/.mlx-manager/kv.sqlite3");
 * ```
 */
export function privateFile(path: string): void {
  try {
    Deno.writeFileSync(path, new Uint8Array(), { append: true, mode: PRIVATE_FILE_MODE });
  } catch { /* reported by whoever opens it next */ }
  for (const suffix of ["", ...SQLITE_SIDE_FILES]) restrict(`${path}${suffix}`, PRIVATE_FILE_MODE);
}

/**
 * Makes the data dir, every file in it and its `logs` folder owner-only: what
 * an earlier version created with the default modes (0755, 0644) is corrected.
 * Only the data dir itself and `logs` are walked, not the folders a user may
 * have put there.
 */
export function securePrivate(dir: string): void {
  restrict(dir, PRIVATE_DIR_MODE);
  const walk = (folder: string, depth: number) => {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(folder)];
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isFile) restrict(path, PRIVATE_FILE_MODE);
      else if (entry.isDirectory && depth === 0 && entry.name === "logs") {
        restrict(path, PRIVATE_DIR_MODE);
        walk(path, depth + 1);
      }
    }
  };
  walk(dir, 0);
}

/** The file whose SQLite lock marks the data dir as taken. */
export const LOCK_FILE = "manager.lock";
/** The file naming the pid of the manager that holds the lock. */
export const PID_FILE = "manager.pid";

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A start failure about `path`: what went wrong and what to do. */
function startError(path: string, problem: string, action: string, cause: unknown): AppError {
  return new AppError("unavailable", `Cannot start: ${path} ${problem}: ${action}`, { cause });
}

function isReadOnly(error: unknown): boolean {
  return error instanceof Deno.errors.PermissionDenied ||
    /read-only|readonly|EROFS|os error 30|permission denied|EACCES/i.test(reason(error));
}

/** The data dir held by this process; {@link release} gives it up. */
export interface DataDirLock {
  readonly dir: string;
  release(): void;
}

/**
 * Takes the data dir for this process, or refuses when another manager holds it.
 * The lock is SQLite's exclusive lock on `manager.lock`: the system drops it
 * when the process ends, however it ends, so a crash never leaves it behind.
 *
 * @example
 * ```ts
 * const lock = lockDataDir("/Users/ada/.mlx-manager");
 * // … run …
 * lock.release();
 * ```
 */
export function lockDataDir(dir: string, pid: number = Deno.pid): DataDirLock {
  try {
    privateDir(dir);
  } catch (error) {
    throw startError(
      dir,
      `cannot be created (${reason(error)})`,
      "create it or set MLX_MANAGER_DATA_DIR to a folder you can write",
      error,
    );
  }
  securePrivate(dir);
  const probe = join(dir, ".write-test");
  try {
    Deno.writeTextFileSync(probe, "");
    Deno.removeSync(probe);
  } catch (error) {
    throw startError(
      dir,
      `is not writable (${reason(error)})`,
      "make it writable or set MLX_MANAGER_DATA_DIR to a folder you can write",
      error,
    );
  }
  const path = join(dir, LOCK_FILE);
  let db: DatabaseSync;
  try {
    privateFile(path);
    db = new DatabaseSync(path);
  } catch (error) {
    throw startError(
      dir,
      isReadOnly(error) ? "is not writable" : `cannot be used (${reason(error)})`,
      "make it writable or set MLX_MANAGER_DATA_DIR to a folder you can write",
      error,
    );
  }
  try {
    // The transaction stays open for the life of the process: its lock is the claim.
    db.exec("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;");
  } catch (error) {
    db.close();
    if (/locked|busy/i.test(reason(error))) {
      let holder = "";
      try {
        holder = Deno.readTextFileSync(join(dir, PID_FILE)).trim();
      } catch { /* written a moment after the lock */ }
      throw new AppError(
        "conflict",
        `Another MLX Manager${
          /^\d+$/.test(holder) ? ` (pid ${holder})` : ""
        } is running on the data dir ${dir}: stop it first, or give this one another MLX_MANAGER_DATA_DIR`,
        { reason: "data_dir_in_use", cause: error },
      );
    }
    throw startError(
      dir,
      isReadOnly(error) ? "is not writable" : `cannot be locked (${reason(error)})`,
      "make it writable or set MLX_MANAGER_DATA_DIR to a folder you can write",
      error,
    );
  }
  try {
    Deno.writeTextFileSync(join(dir, PID_FILE), `${pid}\n`, { mode: PRIVATE_FILE_MODE });
  } catch (error) {
    db.close();
    throw startError(
      dir,
      `is not writable (${reason(error)})`,
      "free space or make it writable, or set MLX_MANAGER_DATA_DIR to another folder",
      error,
    );
  }
  let held = true;
  return {
    dir,
    release() {
      if (!held) return;
      held = false;
      try {
        Deno.removeSync(join(dir, PID_FILE));
      } catch { /* already gone */ }
      db.close();
    },
  };
}

/**
 * Opens the database like {@link openDb}, with a message naming the file and
 * what to do when it is damaged, not a database, or not writable.
 */
export function openDatabase(path: string): Db {
  try {
    if (path !== ":memory:") {
      Deno.mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
      privateFile(path);
    }
    return openDb(path);
  } catch (error) {
    const text = reason(error);
    if (/not a database|malformed|corrupt/i.test(text)) {
      throw startError(
        path,
        "is damaged or not an MLX Manager database",
        "stop the manager, move the file away (or restore a backup) and start again; a new database is created",
        error,
      );
    }
    if (isReadOnly(error) || /unable to open|readonly/i.test(text)) {
      throw startError(
        path,
        `cannot be opened for writing (${text})`,
        "make the file and its folder writable, or set MLX_MANAGER_DATABASE_PATH",
        error,
      );
    }
    throw error;
  }
}
