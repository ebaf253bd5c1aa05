/**
 * The log of one profile's server: the file the process writes, followed into
 * an in-memory buffer, plus the manager's own notes, and the lines of the
 * current run for a failure's reason.
 *
 * @module
 */
import { join } from "node:path";
import { LogTail } from "./logs.ts";

const NOTE = "[mlx-manager]";

/** The log file of a profile's server. */
export function logPathOf(dataDir: string, profileId: number): string {
  return join(dataDir, "logs", `server-${profileId}.log`);
}

/** Keeps one older log: a file over 20 MB becomes `.1` before a start. */
async function rotate(path: string, maxBytes = 20 * 1024 * 1024): Promise<void> {
  try {
    if ((await Deno.stat(path)).size > maxBytes) await Deno.rename(path, `${path}.1`);
  } catch { /* no log yet */ }
}

/**
 * A server's log.
 *
 * @example
 * ```ts
 * const log = new ServerLog(logPathOf(dataDir, 1));
 * await log.beginRun();
 * log.note("Starting: mlx-openai-server launch …");
 * log.withRunLines("The server exited with code 1"); // the reason and the run's last lines
 * ```
 */
export class ServerLog {
  readonly tail: LogTail = new LogTail();
  path: string;
  #mark = 0;

  constructor(path: string) {
    this.path = path;
  }

  /** Rotates and follows the file; later lines belong to the new run. */
  async beginRun(): Promise<void> {
    // The log may hold what a model printed of a conversation: the user's alone (0700, 0600).
    await Deno.mkdir(join(this.path, ".."), { recursive: true, mode: 0o700 });
    await rotate(this.path);
    await Deno.writeTextFile(this.path, "", { append: true, mode: 0o600 });
    await this.tail.follow(this.path);
    this.#mark = this.tail.total;
  }

  /** Follows the file of a process an earlier manager started. */
  async adopt(path: string): Promise<void> {
    this.path = path;
    await this.tail.loadHistory(path);
    await this.tail.follow(path).catch(() => {});
    this.#mark = this.tail.total;
  }

  /** Adds a line of the manager's own to the log (file and buffer). */
  note(text: string): void {
    const line = `${NOTE} ${new Date().toISOString()} ${text}`;
    this.tail.pushOwn(line);
    try {
      Deno.writeTextFileSync(this.path, `${line}\n`, { append: true });
    } catch { /* the log folder is gone: the buffer still has it */ }
    if (text.startsWith("Starting: ")) this.#mark = this.tail.total;
  }

  /** Reads what the process wrote last, then stops following. */
  async end(): Promise<void> {
    await this.tail.drain();
    this.tail.stop();
  }

  /** `reason` followed by the server's last lines of this run (without the manager's notes). */
  withRunLines(reason: string): string {
    const lines = this.tail.since(this.#mark).filter((l) => !l.startsWith(NOTE)).slice(-20);
    return lines.length ? `${reason}\n${lines.join("\n")}` : reason;
  }
}
