/**
 * `launchctl` commands (the modern `bootstrap`/`bootout`/`print` forms, not
 * the deprecated `load`/`unload`) and the parser of `launchctl print`.
 *
 * @module
 */

/** The per-user GUI domain, where LaunchAgents run. */
export function guiDomain(uid: number): string {
  return `gui/${uid}`;
}

/** `launchctl bootstrap gui/<uid> <plist>`: loads (and, with RunAtLoad, starts) a job. */
export function bootstrapArgs(uid: number, plistPath: string): string[] {
  return ["bootstrap", guiDomain(uid), plistPath];
}

/** `launchctl bootout gui/<uid>/<label>`: stops and unloads a job. */
export function bootoutArgs(uid: number, label: string): string[] {
  return ["bootout", `${guiDomain(uid)}/${label}`];
}

/** `launchctl kickstart gui/<uid>/<label>`: starts a loaded job that is not running. */
export function kickstartArgs(uid: number, label: string): string[] {
  return ["kickstart", `${guiDomain(uid)}/${label}`];
}

/** `launchctl print gui/<uid>/<label>`: the job's state. */
export function printArgs(uid: number, label: string): string[] {
  return ["print", `${guiDomain(uid)}/${label}`];
}

/** `launchctl print` exits with this when the job is not loaded. */
export const NOT_FOUND_CODE = 113;

/** A loaded job's state, from `launchctl print`. */
export interface PrintedJob {
  /** "running", "not running", "waiting", … */
  state: string | null;
  pid: number | null;
  /** null when it never exited. */
  lastExitCode: number | null;
  /** "Killed: 9" when the last run ended by a signal. */
  lastSignal: string | null;
  runs: number | null;
  program: string | null;
  path: string | null;
}

/**
 * Parses `launchctl print gui/<uid>/<label>`. Only the job's own top-level
 * keys are read; nested blocks (arguments, environment) are skipped.
 *
 * @example
 * ```ts
 * parsePrint("gui/501/x = {\n\tstate = running\n\tpid = 42\n}\n").pid; // 42
 * ```
 */
export function parsePrint(text: string): PrintedJob {
  const fields = new Map<string, string>();
  let depth = 0;
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (depth === 1) {
      const match = trimmed.match(/^([a-z][\w ()-]*?) = (.*)$/);
      if (match && !match[2].endsWith("{") && !fields.has(match[1])) fields.set(match[1], match[2].trim());
    }
    if (trimmed.endsWith("{")) depth++;
    else if (trimmed === "}") depth--;
  }
  const int = (key: string) => {
    const value = fields.get(key);
    return value !== undefined && /^-?\d+$/.test(value) ? Number(value) : null;
  };
  return {
    state: fields.get("state") ?? null,
    pid: int("pid"),
    lastExitCode: int("last exit code"),
    lastSignal: fields.get("last terminating signal") ?? null,
    runs: int("runs"),
    program: fields.get("program") ?? null,
    path: fields.get("path") ?? null,
  };
}
