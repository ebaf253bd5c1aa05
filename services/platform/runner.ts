/**
 * Running external commands through one small adapter, so the code that
 * builds commands and parses their output can be tested on recorded output.
 *
 * @module
 */

/** What a finished command printed and how it exited. */
export interface CommandResult {
  /** The exit code; 127 when the program does not exist, 124 when it timed out. */
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of one command run. */
export interface RunOptions {
  /** Milliseconds before the command is killed. @default 10000 */
  timeoutMs?: number;
  /** Extra environment variables. */
  env?: Record<string, string>;
}

/** Runs a program with arguments and collects its output. Never throws for a failing command. */
export interface CommandRunner {
  run(cmd: string, args: string[], options?: RunOptions): Promise<CommandResult>;
}

/**
 * The real runner, on `Deno.Command`: no shell, stdin closed, output collected,
 * killed after a timeout.
 *
 * @example
 * ```ts
 * const { code, stdout } = await new DenoCommandRunner().run("sw_vers", []);
 * ```
 */
export class DenoCommandRunner implements CommandRunner {
  async run(cmd: string, args: string[], options: RunOptions = {}): Promise<CommandResult> {
    const decoder = new TextDecoder();
    const signal = AbortSignal.timeout(options.timeoutMs ?? 10_000);
    try {
      const output = await new Deno.Command(cmd, {
        args,
        env: options.env,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
        signal,
      }).output();
      return {
        code: signal.aborted ? 124 : output.code,
        stdout: decoder.decode(output.stdout),
        stderr: decoder.decode(output.stderr),
      };
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        return { code: 127, stdout: "", stderr: `${cmd}: command not found` };
      }
      if (error instanceof Deno.errors.PermissionDenied) {
        return { code: 126, stdout: "", stderr: `${cmd}: permission denied` };
      }
      throw error;
    }
  }
}
