/**
 * The command line's input and output: printing, exit codes, errors that
 * carry their exit code, and reading a secret from a terminal or a pipe.
 *
 * @module
 */
import { AppError, type ErrorCode } from "../lib/errors.ts";

/** Exit codes a script can rely on. */
export const EXIT = {
  /** Done. */
  ok: 0,
  /** The command failed (a message says why). */
  failure: 1,
  /** Bad arguments or input. */
  usage: 2,
  /** MLX Manager is not reachable at the URL. */
  unreachable: 3,
  /** No token, or the token or credentials were refused. */
  unauthorized: 4,
} as const;

/** An exit code. */
export type ExitCode = typeof EXIT[keyof typeof EXIT];

/** The exit code of each kind of service failure, for scripts. */
export const CODE_EXIT: Record<ErrorCode, ExitCode> = {
  bad_request: EXIT.usage,
  invalid: EXIT.usage,
  unauthenticated: EXIT.unauthorized,
  forbidden: EXIT.unauthorized,
  not_found: EXIT.failure,
  conflict: EXIT.failure,
  too_large: EXIT.usage,
  unsupported_media: EXIT.usage,
  rate_limited: EXIT.failure,
  unavailable: EXIT.unreachable,
  upstream: EXIT.failure,
  not_implemented: EXIT.failure,
  disk_full: EXIT.failure,
  internal: EXIT.failure,
};

/** A failure with a message for the user and the exit code to end with. */
export class CliError extends Error {
  constructor(message: string, readonly code: ExitCode = EXIT.failure) {
    super(message);
    this.name = "CliError";
  }
}

/** Turns a service's {@link AppError} into a {@link CliError} with its exit code; rethrows anything else. */
export function asCliError(error: unknown): never {
  if (error instanceof AppError) throw new CliError(error.message, CODE_EXIT[error.code]);
  throw error;
}

/** A usage error: exit 2 and a pointer to the command's help. */
export function usageError(message: string, command?: string): CliError {
  const help = command ? `mlx-manager ${command} --help` : "mlx-manager --help";
  return new CliError(`${message}\nRun "${help}" for usage`, EXIT.usage);
}

const encoder = new TextEncoder();

/** Prints to standard output, adding a newline. */
export function print(text = ""): void {
  Deno.stdout.writeSync(encoder.encode(`${text}\n`));
}

/** Prints to standard error, adding a newline. */
export function printError(text: string): void {
  Deno.stderr.writeSync(encoder.encode(`${text}\n`));
}

/** Reads all of standard input as text. */
export async function readStdin(): Promise<string> {
  return await new Response(Deno.stdin.readable).text();
}

/** Reads one line from the terminal, showing `question` first. */
export function ask(question: string): string | null {
  return prompt(question);
}

/**
 * Reads a secret from the terminal without echoing it.
 *
 * @example
 * ```ts
 * const password = await askSecret("Password: ");
 * ```
 */
export async function askSecret(question: string): Promise<string> {
  Deno.stdout.writeSync(encoder.encode(question));
  Deno.stdin.setRaw(true);
  const bytes: number[] = [];
  const buffer = new Uint8Array(64);
  try {
    reading: while (true) {
      const n = await Deno.stdin.read(buffer);
      if (n === null) break;
      for (const byte of buffer.subarray(0, n)) {
        if (byte === 3) throw new CliError("Cancelled", EXIT.failure); // Ctrl-C
        if (byte === 13 || byte === 10 || byte === 4) break reading;
        if (byte === 127 || byte === 8) bytes.pop();
        else bytes.push(byte);
      }
    }
  } finally {
    Deno.stdin.setRaw(false);
    Deno.stdout.writeSync(encoder.encode("\n"));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/**
 * A password from `--password-stdin` (the whole of standard input, without
 * its final newline) or, on a terminal, from a prompt that does not echo.
 */
export async function readPassword(
  fromStdin: boolean,
  command: string,
  options: { confirm?: boolean } = {},
): Promise<string> {
  if (fromStdin) return (await readStdin()).replace(/\r?\n$/, "");
  if (!Deno.stdin.isTerminal()) {
    throw usageError(
      "No terminal to ask for the password: pass it on standard input with --password-stdin",
      command,
    );
  }
  const password = await askSecret("Password: ");
  if (options.confirm && await askSecret("Repeat the password: ") !== password) {
    throw new CliError("The passwords do not match", EXIT.usage);
  }
  return password;
}
