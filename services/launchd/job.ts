/**
 * launchd jobs: labels, and the property list a job is installed with.
 *
 * @module
 */
import { isAbsolute, join } from "node:path";
import { type PlistValue, plistXml } from "./plist.ts";

/** Every label MLX Manager installs starts with this. */
export const LABEL_PREFIX = "com.mlx-manager.";

/** The profile id in a profile job's label, or null for other labels. */
export function profileIdOf(label: string): number | null {
  const match = label.match(/^com\.mlx-manager\.profile-(\d+)$/);
  return match ? Number(match[1]) : null;
}

/** The label of MLX Manager itself. */
export const MANAGER_LABEL = "com.mlx-manager.app";

/**
 * The label of a profile's job. It is derived from the id, not the name, so
 * renaming a profile cannot orphan its installed job and two names cannot
 * collide after sanitizing, as labels made from names can.
 *
 * @example
 * ```ts
 * profileLabel(3); // "com.mlx-manager.profile-3"
 * ```
 */
export function profileLabel(profileId: number): string {
  return `${LABEL_PREFIX}profile-${profileId}`;
}

/** A job to install: what to run, with which environment, and where it logs. */
export interface LaunchdJob {
  label: string;
  /** Absolute, upgrade-stable path of the program. */
  program: string;
  /** Arguments after the program. */
  args: string[];
  env: Record<string, string>;
  /** Start at login (and when installed). */
  runAtLoad: boolean;
  /** Folder for the job's log file (`<label>.log`). */
  logDir: string;
  /** The log file's name in `logDir`, when not `<label>.log`. */
  logName?: string;
  workingDirectory?: string;
}

/** Where a job's standard output and error go. */
export function jobLogPath(job: Pick<LaunchdJob, "label" | "logDir" | "logName">): string {
  return join(job.logDir, job.logName ?? `${job.label}.log`);
}

/**
 * The property list of a job: `ProgramArguments` is the program and its
 * arguments as given (no shell), `KeepAlive` restarts it only after an
 * unsuccessful exit (a crash), and output goes to one log file in the data dir.
 *
 * @example
 * ```ts
 * const xml = buildPlist({
 *   label: "com.mlx-manager.profile-3",
 *   program: "/opt/homebrew/bin/mlx-openai-server",
 *   args: ["launch", "--port", "10240"],
 *   env: { PYTHONUNBUFFERED: "1" },
 *   runAtLoad: true,
 *   logDir: "/Users/ada/.mlx-manager/logs",
 * });
 * ```
 */
export function buildPlist(job: LaunchdJob): string {
  if (!job.label.startsWith(LABEL_PREFIX)) throw new RangeError(`A label must start with ${LABEL_PREFIX}`);
  if (!isAbsolute(job.program)) throw new RangeError(`The program must be an absolute path: ${job.program}`);
  const log = jobLogPath(job);
  const dict: { [key: string]: PlistValue } = {
    Label: job.label,
    ProgramArguments: [job.program, ...job.args],
    RunAtLoad: job.runAtLoad,
    KeepAlive: { SuccessfulExit: false },
    ThrottleInterval: 30,
    ProcessType: "Interactive",
    StandardOutPath: log,
    StandardErrorPath: log,
    EnvironmentVariables: { ...job.env },
  };
  if (job.workingDirectory) dict.WorkingDirectory = job.workingDirectory;
  return plistXml(dict);
}
