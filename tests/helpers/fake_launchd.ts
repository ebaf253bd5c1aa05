/**
 * A fake of launchd's `launchctl` for tests on machines without it: a
 * {@link CommandRunner} that keeps jobs in memory and really runs them.
 * `bootstrap` reads the plist (with the strict reader) and, with RunAtLoad,
 * spawns `ProgramArguments` with `EnvironmentVariables` in `WorkingDirectory`,
 * appending output to `StandardOutPath`; `kickstart` starts a loaded job;
 * `bootout` stops (SIGTERM) and unloads it; `print` describes it in
 * launchctl's format, with the real pid. Errors and exit codes follow launchctl
 * (5 when already loaded, 3 when booting out an unknown job, 113 for an
 * unknown service). KeepAlive restarts are not simulated.
 *
 * Other commands are answered by `fallback` (recorded macOS output).
 *
 * @module
 */
import type { CommandResult, CommandRunner, RunOptions } from "../../services/platform/runner.ts";
import { parsePlistStrict } from "./plist_parser.ts";

interface Job {
  label: string;
  path: string;
  plist: Record<string, unknown>;
  child: Deno.ChildProcess | null;
  exited: Promise<void> | null;
  runs: number;
  lastExit: number | null;
}

const ok = (stdout = ""): CommandResult => ({ code: 0, stdout, stderr: "" });
const fail = (code: number, stderr: string): CommandResult => ({ code, stdout: "", stderr: `${stderr}\n` });

/** The fake launchd. Call {@link FakeLaunchd.close} to stop every job it started. */
export class FakeLaunchd implements CommandRunner {
  readonly jobs = new Map<string, Job>();
  readonly calls: string[] = [];

  constructor(readonly uid = 501, readonly fallback?: CommandRunner) {}

  run(cmd: string, args: string[], options?: RunOptions): Promise<CommandResult> {
    if (cmd !== "launchctl") {
      return this.fallback?.run(cmd, args, options) ??
        Promise.resolve(fail(127, `${cmd}: command not found`));
    }
    this.calls.push(args.join(" "));
    const [verb, target, path] = args;
    const domain = `gui/${this.uid}`;
    const label = target?.startsWith(`${domain}/`) ? target.slice(domain.length + 1) : null;
    switch (verb) {
      case "bootstrap":
        return target === domain ? this.#bootstrap(path) : Promise.resolve(fail(125, "Bad domain"));
      case "bootout":
        return this.#bootout(label);
      case "kickstart":
        return this.#kickstart(label);
      case "print":
        return Promise.resolve(this.#print(label));
      default:
        return Promise.resolve(fail(64, `Unrecognized subcommand: ${verb}`));
    }
  }

  /** The pid of a running job. */
  pid(label: string): number | null {
    return this.jobs.get(label)?.child?.pid ?? null;
  }

  /** Stops every job. */
  async close(): Promise<void> {
    for (const label of [...this.jobs.keys()]) await this.#bootout(label);
  }

  async #bootstrap(path: string): Promise<CommandResult> {
    let plist: Record<string, unknown>;
    try {
      plist = parsePlistStrict(await Deno.readTextFile(path)) as Record<string, unknown>;
    } catch (error) {
      return fail(5, `Bootstrap failed: 5: Input/output error (${(error as Error).message})`);
    }
    const label = String(plist.Label);
    if (this.jobs.has(label)) return fail(5, "Bootstrap failed: 5: Input/output error");
    const job: Job = { label, path, plist, child: null, exited: null, runs: 0, lastExit: null };
    this.jobs.set(label, job);
    if (plist.RunAtLoad === true) await this.#spawn(job);
    return ok();
  }

  async #bootout(label: string | null): Promise<CommandResult> {
    const job = label ? this.jobs.get(label) : undefined;
    if (!job) return fail(3, "Boot-out failed: 3: No such process");
    this.jobs.delete(job.label);
    if (job.child) {
      try {
        job.child.kill("SIGTERM");
      } catch { /* already gone */ }
      await job.exited;
    }
    return ok();
  }

  async #kickstart(label: string | null): Promise<CommandResult> {
    const job = label ? this.jobs.get(label) : undefined;
    if (!job) return fail(113, `Could not find service "${label}" in domain for user gui: ${this.uid}`);
    if (!job.child) await this.#spawn(job);
    return ok();
  }

  async #spawn(job: Job): Promise<void> {
    const [program, ...args] = job.plist.ProgramArguments as string[];
    const log = await Deno.open(String(job.plist.StandardOutPath), {
      write: true,
      append: true,
      create: true,
    });
    const child = new Deno.Command(program, {
      args,
      // launchd starts jobs with only the plist's variables; DENO_BIN lets the fake server find Deno.
      env: { ...(job.plist.EnvironmentVariables as Record<string, string>), DENO_BIN: Deno.execPath() },
      clearEnv: true,
      cwd: job.plist.WorkingDirectory as string | undefined,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    job.child = child;
    job.runs++;
    // One queue for both streams, so lines are not interleaved mid-write.
    let queue = Promise.resolve();
    const write = (bytes: Uint8Array) =>
      queue = queue.then(async () => {
        for (let offset = 0; offset < bytes.length;) offset += await log.write(bytes.subarray(offset));
      });
    const copy = async (stream: ReadableStream<Uint8Array>) => {
      for await (const chunk of stream) await write(chunk);
    };
    job.exited = Promise.all([copy(child.stdout), copy(child.stderr), child.status]).then(
      async ([, , status]) => {
        job.child = null;
        job.lastExit = status.code;
        await queue;
        log.close();
      },
    );
  }

  #print(label: string | null): CommandResult {
    const job = label ? this.jobs.get(label) : undefined;
    if (!job) {
      return fail(113, `Bad request.\nCould not find service "${label}" in domain for user gui: ${this.uid}`);
    }
    const args = (job.plist.ProgramArguments as string[]).map((a) => `\t\t${a}`).join("\n");
    const lines = [
      `gui/${this.uid}/${job.label} = {`,
      `\tactive count = ${job.child ? 1 : 0}`,
      `\tpath = ${job.path}`,
      "\ttype = LaunchAgent",
      `\tstate = ${job.child ? "running" : "not running"}`,
      "",
      `\tprogram = ${(job.plist.ProgramArguments as string[])[0]}`,
      "\targuments = {",
      args,
      "\t}",
      "",
      `\truns = ${job.runs}`,
      ...(job.child ? [`\tpid = ${job.child.pid}`] : []),
      `\tlast exit code = ${job.lastExit === null ? "(never exited)" : job.lastExit}`,
      "}",
    ];
    return ok(`${lines.join("\n")}\n`);
  }
}
