/**
 * Operating-system process helpers: spawning a model server in its own process
 * group with its output appended to a log file, signalling the whole group,
 * liveness, and matching a command line `ps` shows against the one we ran.
 *
 * @module
 */

/** What to run, as {@link buildLaunchCommand} produces it. */
export interface SpawnSpec {
  executable: string;
  args: string[];
  env: Record<string, string>;
}

// The shell only redirects and then replaces itself with the server (`exec`),
// so the pid we get is the server's, and the server writes straight into its
// log file: it keeps logging, and keeps running, if the manager dies.
const LAUNCHER = 'log=$1; shift; exec "$@" >>"$log" 2>&1 </dev/null';

/**
 * Starts `spec` as the leader of a new session and process group (so a stop can
 * signal its children too, and a terminal's Ctrl-C does not reach it), with
 * both output streams appended to `logPath`.
 *
 * @example
 * ```ts
 * const child = spawnInGroup({ executable: "/usr/bin/sleep", args: ["60"], env: {} }, "/tmp/x.log", "/tmp");
 * signalGroup(child.pid, "SIGTERM");
 * ```
 */
export function spawnInGroup(spec: SpawnSpec, logPath: string, cwd: string): Deno.ChildProcess {
  return new Deno.Command("/bin/sh", {
    args: ["-c", LAUNCHER, "mlx-manager-launch", logPath, spec.executable, ...spec.args],
    env: spec.env,
    // Only `env` reaches the server: none of the manager's own variables (keys, secrets) leak into it.
    clearEnv: true,
    cwd,
    // Deno starts a detached child with setsid(): a new session and process group led by it.
    detached: true,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
}

/**
 * Sends `signal` to every process of the group led by `pgid`; false when the
 * group no longer exists.
 */
export function signalGroup(pgid: number, signal: Deno.Signal): boolean {
  try {
    Deno.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Whether a process (or, with a negative id, a process group) exists. */
export function isAlive(pid: number): boolean {
  try {
    Deno.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return error instanceof Deno.errors.PermissionDenied;
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Waits until no process of group `pgid` is left, polling; false on timeout.
 *
 * @example
 * ```ts
 * if (!await waitForGroupExit(pid, 2000)) signalGroup(pid, "SIGKILL");
 * ```
 */
export async function waitForGroupExit(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(-pgid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

/**
 * Whether the command line `ps` shows belongs to the process we started with
 * `command`. The executable itself may appear differently (a script run by its
 * interpreter, a wrapper that execs another program), so the arguments — which
 * name the model, host and port — must match exactly at the end.
 *
 * @example
 * ```ts
 * sameCommand("/venv/bin/python /venv/bin/mlx-openai-server launch --port 1", ["/venv/bin/mlx-openai-server", "launch", "--port", "1"]); // true
 * ```
 */
export function sameCommand(observed: string, command: string[]): boolean {
  const args = command.slice(1).join(" ");
  return args.length > 0 && observed.trimEnd().endsWith(` ${args}`);
}
