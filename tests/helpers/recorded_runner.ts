/**
 * A {@link CommandRunner} that answers with recorded macOS output, so the
 * real command-building and parsing code runs on Linux. It keeps every call
 * for assertions.
 *
 * @module
 */
import { join } from "node:path";
import type { CommandResult, CommandRunner, RunOptions } from "../../services/platform/runner.ts";

const FIXTURES = join(import.meta.dirname!, "..", "fixtures", "macos");

/** The text of a recorded output in `tests/fixtures/macos/`. */
export function fixture(name: string): string {
  return Deno.readTextFileSync(join(FIXTURES, name));
}

/** An answer: a result, stdout text (exit 0), or a function of the call. */
export type Answer = CommandResult | string | ((args: string[]) => CommandResult | string);

/** One command the runner was asked to run. */
export interface RecordedCall {
  cmd: string;
  args: string[];
  options?: RunOptions;
}

/** Answers `cmd args…` (joined with spaces) from a table; anything else exits 127. */
export class RecordedRunner implements CommandRunner {
  readonly calls: RecordedCall[] = [];

  constructor(readonly answers: Record<string, Answer> = {}) {}

  run(cmd: string, args: string[], options?: RunOptions): Promise<CommandResult> {
    this.calls.push({ cmd, args, options });
    const key = [cmd, ...args].join(" ");
    const answer = this.answers[key] ?? this.answers[cmd];
    if (answer === undefined) {
      return Promise.resolve({ code: 127, stdout: "", stderr: `${cmd}: command not found` });
    }
    const value = typeof answer === "function" ? answer(args) : answer;
    return Promise.resolve(typeof value === "string" ? { code: 0, stdout: value, stderr: "" } : value);
  }

  /** The calls of one program, as "cmd arg arg" strings. */
  commands(cmd?: string): string[] {
    return this.calls.filter((c) => !cmd || c.cmd === cmd).map((c) => [c.cmd, ...c.args].join(" "));
  }
}

/** The answers of an M3 Max with 64 GB running macOS 15.3.1, from the fixtures. */
export function macAnswers(): Record<string, Answer> {
  return {
    "sw_vers": fixture("sw_vers.txt"),
    "sysctl -n machdep.cpu.brand_string": fixture("sysctl_cpu_brand.txt"),
    "sysctl hw.memsize hw.ncpu": fixture("sysctl_hw.txt"),
    "sysctl -i vm.swapusage kern.memorystatus_vm_pressure_level kern.memorystatus_level": fixture(
      "sysctl_vm.txt",
    ),
    "vm_stat": fixture("vm_stat.txt"),
    "memory_pressure": fixture("memory_pressure.txt"),
    "ioreg -r -d 1 -w 0 -c IOAccelerator": fixture("ioreg_gpu_busy.txt"),
  };
}

/** A runner for a Mac, with some answers replaced. */
export function macRunner(overrides: Record<string, Answer> = {}): RecordedRunner {
  return new RecordedRunner({ ...macAnswers(), ...overrides });
}
