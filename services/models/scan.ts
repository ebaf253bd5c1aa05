/**
 * Reading the model cache: walking a folder's files (following snapshot links
 * to their blobs) and reading `config.json`.
 *
 * @module
 */
import { join } from "node:path";
import type { ModelConfig } from "../hub/detection.ts";

/** One file found by {@link walkFiles}. */
export interface WalkedFile {
  path: string;
  size: number;
  atime: Date | null;
}

/**
 * Every file under `dir` with its size and access time; links are followed.
 *
 * @example
 * ```ts
 * const blobs = await walkFiles(`${repo}/blobs`);
 * const bytes = blobs.reduce((n, f) => n + f.size, 0);
 * ```
 */
export async function walkFiles(dir: string, prefix = ""): Promise<WalkedFile[]> {
  const out: WalkedFile[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch {
    return out;
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory) out.push(...await walkFiles(full, rel));
    else {
      // stat follows snapshot links to their blobs.
      const info = await Deno.stat(full).catch(() => null);
      if (info?.isFile) out.push({ path: rel, size: info.size, atime: info.atime });
    }
  }
  return out;
}

/**
 * {@link walkFiles} with synchronous calls. A folder's metadata is a few
 * microseconds a call this way; each asynchronous call costs a thread-pool
 * round trip several times that (a 200-model cache lists 3× faster), and one
 * model's folder is small enough not to hold the event loop for long.
 */
export function walkFilesSync(dir: string, prefix = ""): WalkedFile[] {
  const out: WalkedFile[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch {
    return out;
  }
  for (const entry of entries) {
    const full = join(dir, entry.name);
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory) out.push(...walkFilesSync(full, rel));
    else {
      try {
        // stat follows snapshot links to their blobs.
        const info = Deno.statSync(full);
        if (info.isFile) out.push({ path: rel, size: info.size, atime: info.atime });
      } catch { /* removed meanwhile */ }
    }
  }
  return out;
}

/** A text file's content, or null when it cannot be read. */
export async function readText(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return null;
  }
}

/** A small text file's content read synchronously (a ref, a few bytes), or null when it cannot be read. */
export function readTextSync(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return null;
  }
}

/** Whether `path` is a folder (following links), asked synchronously. */
export function isDirectorySync(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

/**
 * Reads a `config.json`; null when missing or not a JSON object.
 *
 * @example
 * ```ts
 * const config = await readConfigFile(`${snapshot}/config.json`); // null when missing or invalid
 * ```
 */
export async function readConfigFile(path: string): Promise<ModelConfig | null> {
  const text = await readText(path);
  if (text === null) return null;
  try {
    const value = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}
