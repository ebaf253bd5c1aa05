/**
 * A model server's log: the server appends to its file; a {@link LogTail}
 * follows the file, strips colour codes, keeps the recent lines in a ring
 * buffer and hands every new line to each subscriber.
 *
 * @module
 */

// CSI sequences (colours, cursor moves) and OSC sequences (titles, links).
// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/**
 * Removes ANSI escape sequences; a carriage return keeps only what was drawn
 * last (progress bars redraw their line).
 *
 * @example
 * ```ts
 * cleanLine("\x1b[32mINFO\x1b[0m ok"); // "INFO ok"
 * cleanLine("10%\r50%\r100%"); // "100%"
 * ```
 */
export function cleanLine(raw: string): string {
  const text = raw.replace(ANSI, "");
  const parts = text.split("\r").filter((p) => p.trim() !== "");
  return (parts.at(-1) ?? "").trimEnd();
}

/** Receives each new line. */
export type LineListener = (line: string) => void;

/** Options of {@link LogTail}. */
export interface LogTailOptions {
  /** Lines kept in memory. @default 1000 */
  capacity?: number;
  /** Milliseconds between reads of the file while lines arrive or someone watches live. @default 200 */
  pollMs?: number;
  /** The longest pause between reads of a quiet file nobody watches. @default 2000 */
  idlePollMs?: number;
}

/**
 * Follows one log file.
 *
 * @example
 * ```ts
 * const tail = new LogTail();
 * await tail.follow("/data/logs/server-1.log");
 * const stop = tail.subscribe((line) => console.log(line));
 * ```
 */
export class LogTail {
  readonly #capacity: number;
  readonly #pollMs: number;
  readonly #idlePollMs: number;
  #delay = 0;
  #watchers = 0;
  readonly #lines: string[] = [];
  readonly #listeners = new Set<LineListener>();
  #total = 0;
  #file: Deno.FsFile | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #decoder = new TextDecoder();
  #partial = "";
  #reading: Promise<void> | null = null;
  #loaded = false;
  readonly #own = new Set<string>();

  constructor(options: LogTailOptions = {}) {
    this.#capacity = options.capacity ?? 1000;
    this.#pollMs = options.pollMs ?? 200;
    this.#idlePollMs = options.idlePollMs ?? 2000;
  }

  /** Lines seen so far, including those no longer kept; a position for {@link since}. */
  get total(): number {
    return this.#total;
  }

  /** The last `n` lines kept. */
  last(n: number): string[] {
    return n <= 0 ? [] : this.#lines.slice(-n);
  }

  /** The lines after position `mark` (from {@link total}) that are still kept. */
  since(mark: number): string[] {
    const count = this.#total - mark;
    return count <= 0 ? [] : this.#lines.slice(-Math.min(count, this.#lines.length));
  }

  /**
   * Calls `listener` with every new line; returns the unsubscribe function.
   * A `live` listener (a person reading) makes the file be read at the fast pace.
   */
  subscribe(listener: LineListener, options: { live?: boolean } = {}): () => void {
    this.#listeners.add(listener);
    if (!options.live) return () => this.#listeners.delete(listener);
    this.#watchers++;
    if (this.#file) this.#schedule(0);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#watchers--;
      this.#listeners.delete(listener);
    };
  }

  /** Adds a line (the manager's own notes go through here too). */
  push(line: string): void {
    this.#lines.push(line);
    this.#total++;
    if (this.#lines.length > this.#capacity) this.#lines.splice(0, this.#lines.length - this.#capacity);
    for (const listener of [...this.#listeners]) {
      try {
        listener(line);
      } catch { /* a listener's failure is its own */ }
    }
  }

  /**
   * Adds a line that the caller also appends to the followed file: it is
   * shown now, and skipped when the tail reads it back.
   */
  pushOwn(line: string): void {
    if (this.#file) this.#own.add(line);
    this.push(line);
  }

  /**
   * Fills the buffer with the end of an existing file, once (after a manager
   * restart the history is only on disk).
   */
  async loadHistory(path: string, maxBytes = 128 * 1024): Promise<void> {
    if (this.#loaded || this.#total > 0) return;
    this.#loaded = true;
    let file: Deno.FsFile;
    try {
      file = await Deno.open(path, { read: true });
    } catch {
      return;
    }
    try {
      const size = (await file.stat()).size;
      const start = Math.max(0, size - maxBytes);
      await file.seek(start, Deno.SeekMode.Start);
      const bytes = new Uint8Array(size - start);
      let read = 0;
      while (read < bytes.length) {
        const n = await file.read(bytes.subarray(read));
        if (n === null) break;
        read += n;
      }
      const lines = new TextDecoder().decode(bytes.subarray(0, read)).split("\n");
      if (start > 0) lines.shift(); // probably cut in the middle
      for (const raw of lines) {
        const line = cleanLine(raw);
        if (line) this.push(line);
      }
    } finally {
      file.close();
    }
  }

  /** Starts following `path` from its current end. */
  async follow(path: string): Promise<void> {
    this.stop();
    this.#loaded = true;
    const file = await Deno.open(path, { read: true, create: false });
    await file.seek(0, Deno.SeekMode.End);
    this.#file = file;
    this.#partial = "";
    this.#decoder = new TextDecoder();
    this.#schedule(this.#pollMs);
  }

  // Reading a quiet file five times a second costs CPU for nothing: the pause
  // doubles while nothing arrives (up to idlePollMs), unless someone watches.
  #schedule(delay: number): void {
    clearTimeout(this.#timer);
    this.#delay = delay;
    this.#timer = setTimeout(async () => {
      const before = this.#total;
      await this.drain();
      if (!this.#file) return;
      const active = this.#total > before || this.#watchers > 0;
      this.#schedule(
        active ? this.#pollMs : Math.min(this.#idlePollMs, Math.max(this.#pollMs, this.#delay * 2)),
      );
    }, delay);
  }

  /** Reads whatever was appended since the last read. */
  drain(): Promise<void> {
    if (!this.#reading) {
      this.#reading = this.#read().finally(() => this.#reading = null);
    }
    return this.#reading;
  }

  async #read(): Promise<void> {
    const file = this.#file;
    if (!file) return;
    const buffer = new Uint8Array(64 * 1024);
    while (true) {
      let n: number | null;
      try {
        n = await file.read(buffer);
      } catch {
        return;
      }
      if (n === null || n === 0) break;
      const text = this.#partial + this.#decoder.decode(buffer.subarray(0, n), { stream: true });
      const lines = text.split("\n");
      this.#partial = lines.pop()!;
      for (const raw of lines) {
        const line = cleanLine(raw);
        if (this.#own.delete(line)) continue;
        if (line) this.push(line);
      }
      if (n < buffer.length) break;
    }
  }

  /** Stops following (after a last read, when `drain` is awaited first). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#partial) {
      const line = cleanLine(this.#partial);
      if (line) this.push(line);
      this.#partial = "";
    }
    try {
      this.#file?.close();
    } catch { /* already closed */ }
    this.#file = null;
    this.#own.clear();
  }

  /** Whether the file is being followed. */
  get following(): boolean {
    return this.#file !== null;
  }
}
