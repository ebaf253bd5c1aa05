/**
 * The MCP stdio transport on `Deno.Command`: newline-delimited JSON-RPC over
 * the child's stdin and stdout. Unlike the SDK's own stdio transport it starts
 * the server as the leader of a new process group (so a stop reaches the
 * processes it starts, e.g. the package an `npx` launcher runs), keeps the last
 * lines of stderr for error messages, and reports how the process ended.
 *
 * @module
 */
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { deserializeMessage, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import { getDefaultEnvironment } from "@modelcontextprotocol/sdk/client/stdio.js";

/** What to start. */
export interface StdioSpec {
  command: string;
  args: string[];
  /** Added to the few variables every process needs (HOME, PATH, …); nothing else of the manager's env. */
  env: Record<string, string>;
  cwd: string | null;
  /** Hides secret values in the stderr lines kept. */
  scrub?: (line: string) => string;
}

/** How the process ended. */
export interface ExitInfo {
  code: number;
  signal: string | null;
}

const STDERR_LINES = 20;

/** Ends a process group: SIGTERM, then SIGKILL after `graceMs`. */
async function stopGroup(child: Deno.ChildProcess, graceMs: number): Promise<void> {
  const signal = (sig: Deno.Signal) => {
    try {
      Deno.kill(-child.pid, sig);
    } catch { /* the group is gone */ }
  };
  const ended = child.status.then(() => true);
  const wait = (ms: number) =>
    Promise.race([ended, new Promise<false>((r) => setTimeout(() => r(false), ms))]);
  if (await wait(graceMs)) {
    // The leader is gone; children it left behind still belong to the group.
    signal("SIGTERM");
    return;
  }
  signal("SIGTERM");
  if (await wait(graceMs)) return;
  signal("SIGKILL");
  await ended;
}

/**
 * A {@link Transport} that runs an MCP server as a child process.
 *
 * @example
 * ```ts
 * const transport = new ProcessGroupTransport({ command: "npx", args: ["-y", "server"], env: {}, cwd: null });
 * await client.connect(transport);
 * transport.stderrTail(); // ["server listening on stdio"]
 * ```
 */
export class ProcessGroupTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  readonly #spec: StdioSpec;
  readonly #stderr: string[] = [];
  #child: Deno.ChildProcess | null = null;
  #writer: WritableStreamDefaultWriter<Uint8Array> | null = null;
  #exit: ExitInfo | null = null;
  #closing = false;
  #closed = false;

  constructor(spec: StdioSpec) {
    this.#spec = spec;
  }

  /** The process id, once started. */
  get pid(): number | null {
    return this.#child?.pid ?? null;
  }

  /** How the process ended, once it has. */
  get exit(): ExitInfo | null {
    return this.#exit;
  }

  /** The last lines the process wrote to stderr, secrets hidden. */
  stderrTail(): string[] {
    return [...this.#stderr];
  }

  /** Starts the process; rejects with a readable message when it cannot be started. */
  start(): Promise<void> {
    const { command, args, env, cwd } = this.#spec;
    try {
      this.#child = new Deno.Command(command, {
        args,
        env: { ...getDefaultEnvironment(), ...env },
        clearEnv: true,
        cwd: cwd ?? undefined,
        // Deno starts a detached child with setsid(): a new session and process group led by it.
        detached: true,
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
    } catch (error) {
      const reason = error instanceof Deno.errors.NotFound
        ? cwd && error.message.includes(cwd)
          ? `the folder ${cwd} does not exist`
          : "the command was not found: give its full path, or install it"
        : error instanceof Deno.errors.PermissionDenied
        ? "permission denied: the file is not executable"
        : (error as Error).message;
      return Promise.reject(new Error(`Cannot start "${command}": ${reason}`));
    }
    this.#writer = this.#child.stdin.getWriter();
    void this.#readStdout(this.#child.stdout);
    void this.#readStderr(this.#child.stderr);
    void this.#child.status.then((status) => {
      this.#exit = { code: status.code, signal: status.signal };
      // Processes the server started may outlive it: they are in its group.
      try {
        Deno.kill(-this.#child!.pid, "SIGTERM");
      } catch { /* the group is gone */ }
      this.#finish();
    });
    return Promise.resolve();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (!this.#writer || this.#closed) throw new Error("The MCP server's process is not running");
    await this.#writer.write(new TextEncoder().encode(serializeMessage(message)));
  }

  /** Closes stdin, then ends the process group (SIGTERM, then SIGKILL). */
  async close(): Promise<void> {
    if (!this.#child || this.#closing) return;
    this.#closing = true;
    await this.#writer?.close().catch(() => {});
    await stopGroup(this.#child, 2000);
    this.#finish();
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.onclose?.();
  }

  async #readStdout(stream: ReadableStream<Uint8Array<ArrayBuffer>>): Promise<void> {
    let buffer = "";
    try {
      for await (const text of stream.pipeThrough(new TextDecoderStream())) {
        buffer += text;
        let end;
        while ((end = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, end).replace(/\r$/, "");
          buffer = buffer.slice(end + 1);
          if (!line.trim()) continue;
          try {
            this.onmessage?.(deserializeMessage(line));
          } catch (error) {
            this.onerror?.(
              new Error(`The MCP server wrote a line that is not JSON-RPC: ${(error as Error).message}`),
            );
          }
        }
      }
    } catch (error) {
      if (!this.#closing) this.onerror?.(error as Error);
    }
  }

  async #readStderr(stream: ReadableStream<Uint8Array<ArrayBuffer>>): Promise<void> {
    let buffer = "";
    const keep = (line: string) => {
      const clean = (this.#spec.scrub ?? ((l: string) => l))(line.slice(0, 500));
      if (!clean.trim()) return;
      this.#stderr.push(clean);
      if (this.#stderr.length > STDERR_LINES) this.#stderr.shift();
    };
    try {
      for await (const text of stream.pipeThrough(new TextDecoderStream())) {
        buffer += text;
        const lines = buffer.split("\n");
        buffer = lines.pop()!;
        lines.forEach(keep);
      }
    } catch { /* the process is gone */ }
    if (buffer) keep(buffer);
  }
}
