/**
 * Installing, removing and inspecting LaunchAgents for the current user:
 * writes the plist into `~/Library/LaunchAgents`, then `launchctl bootstrap`;
 * `bootout` and delete to remove; `launchctl print` for the state.
 *
 * Off macOS every operation but {@link Launchd.plist} throws a
 * `not_implemented` {@link AppError}; a `launchctl` failure is an `internal` one.
 *
 * @module
 */
import { join } from "node:path";
import { delay } from "../../lib/async.ts";
import { AppError } from "../../lib/errors.ts";
import type { CommandRunner } from "../platform/runner.ts";
import type { OsName } from "../system/probes.ts";
import { buildPlist, jobLogPath, type LaunchdJob } from "./job.ts";
import {
  bootoutArgs,
  bootstrapArgs,
  kickstartArgs,
  NOT_FOUND_CODE,
  parsePrint,
  printArgs,
} from "./launchctl.ts";

import type { LaunchdStatus } from "../../lib/launchd_types.ts";

export type { LaunchdStatus };

/** Dependencies of {@link Launchd}. */
export interface LaunchdOptions {
  os: OsName;
  runner: CommandRunner;
  /** The user id of the GUI domain. */
  uid: number | null;
  /** The user's home folder; agents go to `<home>/Library/LaunchAgents`. */
  home: string;
  /** Pause before retrying a bootstrap right after a bootout. @default 500 */
  retryDelayMs?: number;
}

/**
 * The launchd adapter.
 *
 * @example
 * ```ts
 * const launchd = new Launchd({ os: "darwin", runner, uid: 501, home: "/Users/ada" });
 * await launchd.install(job); // { label, plist_path }
 * (await launchd.status(job.label)).running;
 * ```
 */
export class Launchd {
  readonly #options: LaunchdOptions;

  constructor(options: LaunchdOptions) {
    this.#options = options;
  }

  /** Whether launchd exists here. */
  get available(): boolean {
    return this.#options.os === "darwin" && this.#options.uid !== null;
  }

  /** The folder of the user's LaunchAgents. */
  get agentsDir(): string {
    return join(this.#options.home, "Library", "LaunchAgents");
  }

  /** Where a job's plist lives. */
  plistPath(label: string): string {
    return join(this.agentsDir, `${label}.plist`);
  }

  /** The plist a job would be installed with (works on every system: it is a preview). */
  plist(job: LaunchdJob): string {
    return buildPlist(job);
  }

  /** Throws `not_implemented` off macOS. */
  assertAvailable(): void {
    if (!this.available) {
      throw new AppError(
        "not_implemented",
        `launchd services are macOS-only: this manager runs on ${this.#options.os}`,
        { reason: "launchd_unavailable" },
      );
    }
  }

  /** Writes the plist (replacing an older one) and loads the job. */
  async install(job: LaunchdJob): Promise<{ label: string; plist_path: string }> {
    this.assertAvailable();
    const xml = buildPlist(job);
    const path = this.plistPath(job.label);
    await Deno.mkdir(this.agentsDir, { recursive: true });
    await Deno.mkdir(job.logDir, { recursive: true, mode: 0o700 });
    // launchd appends to the log file it is given; created here, it is the user's alone.
    await Deno.writeTextFile(jobLogPath(job), "", { append: true, mode: 0o600 });
    const temporary = `${path}.tmp-${crypto.randomUUID().slice(0, 8)}`;
    await Deno.writeTextFile(temporary, xml, { mode: 0o644 });
    await Deno.rename(temporary, path);
    // A job loaded from an older plist must go first, or bootstrap fails with "Input/output error".
    await this.#launchctl(bootoutArgs(this.#uid, job.label));
    let result = await this.#launchctl(bootstrapArgs(this.#uid, path));
    if (result.code !== 0) {
      // launchd may still be tearing the old job down right after bootout.
      await delay(this.#options.retryDelayMs ?? 500);
      result = await this.#launchctl(bootstrapArgs(this.#uid, path));
    }
    if (result.code !== 0) {
      await Deno.remove(path).catch(() => {});
      this.#fail("load", job.label, result);
    }
    return { label: job.label, plist_path: path };
  }

  /** Loads an installed job again (after {@link unload}); with RunAtLoad it starts. */
  async load(label: string): Promise<void> {
    this.assertAvailable();
    const result = await this.#launchctl(bootstrapArgs(this.#uid, this.plistPath(label)));
    if (result.code !== 0) this.#fail("load", label, result);
  }

  /** Starts a loaded job that is not running. */
  async kickstart(label: string): Promise<void> {
    this.assertAvailable();
    const result = await this.#launchctl(kickstartArgs(this.#uid, label));
    if (result.code !== 0) this.#fail("start", label, result);
  }

  /** Stops and unloads a job but keeps its plist, so it comes back at the next login; false when it was not loaded. */
  async unload(label: string): Promise<boolean> {
    this.assertAvailable();
    return (await this.#launchctl(bootoutArgs(this.#uid, label))).code === 0;
  }

  /** The labels of the installed plists whose names start with `prefix`. */
  async installedLabels(prefix: string): Promise<string[]> {
    const labels: string[] = [];
    try {
      for await (const entry of Deno.readDir(this.agentsDir)) {
        if (entry.isFile && entry.name.startsWith(prefix) && entry.name.endsWith(".plist")) {
          labels.push(entry.name.slice(0, -".plist".length));
        }
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    return labels.sort();
  }

  /** Unloads the job and deletes its plist; `removed` is false when there was nothing to remove. */
  async uninstall(label: string): Promise<{ removed: boolean }> {
    this.assertAvailable();
    const unloaded = (await this.#launchctl(bootoutArgs(this.#uid, label))).code === 0;
    let deleted = true;
    await Deno.remove(this.plistPath(label)).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      deleted = false;
    });
    return { removed: unloaded || deleted };
  }

  /** The job's plist and launchd state. */
  async status(label: string): Promise<LaunchdStatus> {
    this.assertAvailable();
    const path = this.plistPath(label);
    const installed = await Deno.stat(path).then((s) => s.isFile, () => false);
    const result = await this.#launchctl(printArgs(this.#uid, label));
    const base = { label, plist_path: path, installed };
    if (result.code !== 0) {
      if (result.code !== NOT_FOUND_CODE && !/could not find service/i.test(result.stderr)) {
        this.#fail("read", label, { ...result, stdout: "" });
      }
      return {
        ...base,
        loaded: false,
        running: false,
        pid: null,
        state: null,
        last_exit_code: null,
        last_signal: null,
      };
    }
    const job = parsePrint(result.stdout);
    return {
      ...base,
      loaded: true,
      running: job.state === "running" && job.pid !== null,
      pid: job.pid,
      state: job.state,
      last_exit_code: job.lastExitCode,
      last_signal: job.lastSignal,
    };
  }

  /** Throws launchctl's own words (stderr, else stdout, else the exit code). */
  #fail(action: string, label: string, result: { code: number; stdout: string; stderr: string }): never {
    const reason = (result.stderr || result.stdout).trim() || `exit code ${result.code}`;
    throw new AppError("internal", `launchctl could not ${action} ${label}: ${reason}`, {
      reason: "launchctl_failed",
    });
  }

  get #uid(): number {
    return this.#options.uid!;
  }

  #launchctl(args: string[]) {
    return this.#options.runner.run("launchctl", args, { timeoutMs: 30_000 });
  }
}
