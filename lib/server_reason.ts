/**
 * Why a model server failed, in one plain sentence, read from what it wrote:
 * `mlx-openai-server` exits with code 0 after a failed load, so the exit code
 * says nothing and the log says everything. Pure.
 *
 * @module
 */

/** What the reason may name besides the log: the profile's model and port. */
export interface ReasonContext {
  /** The profile's model: a Hugging Face repo id or a folder. */
  model?: string;
  /** The profile's port. */
  port?: number;
}

/** What kind of failure a known cause is, for views that offer a fix (a free port for `port_in_use`). */
export type CauseCode =
  | "gated"
  | "repo_not_found"
  | "not_downloaded"
  | "bad_model_path"
  | "out_of_memory"
  | "port_in_use"
  | "server_missing"
  | "package_missing"
  | "unsupported_architecture"
  | "remote_code"
  | "option_refused"
  | "model_died"
  | "load_timeout"
  | "load_failed";

/** Why a server failed: one plain sentence, and its kind when it is a known cause. */
export interface FailureCause {
  text: string;
  code: CauseCode | null;
}

interface Rule {
  code: CauseCode;
  test: RegExp;
  say: (match: RegExpExecArray, context: ReasonContext, line: string) => string;
}

const REPO_IN_URL = /huggingface\.co\/(?:api\/models\/)?([\w.-]+\/[\w.-]+)/;

function repoOf(line: string, context: ReasonContext): string {
  return REPO_IN_URL.exec(line)?.[1] ?? context.model ?? "the profile's model";
}

function theModel(context: ReasonContext): string {
  return context.model ? `The model ${context.model}` : "The model";
}

/** The first rule that matches any line wins, so the more specific rules come first. */
const RULES: Rule[] = [
  {
    code: "gated",
    test:
      /GatedRepoError|Cannot access gated repo|is a gated repo|awaiting a review|401 Client Error|restricted\. You must have access/i,
    say: () => "Gated model: set HF_TOKEN and accept the licence",
  },
  {
    code: "repo_not_found",
    test: /RepositoryNotFoundError|Repository Not Found|404 Client Error.*huggingface/i,
    say: (_m, context, line) => `Repository not found on Hugging Face: ${repoOf(line, context)}`,
  },
  {
    code: "not_downloaded",
    test:
      /cannot find the requested files in the (?:local )?cache|outgoing traffic has been disabled|LocalEntryNotFoundError/i,
    say: (_m, context) =>
      `${theModel(context)} is not downloaded and the hub cannot be reached: download it first`,
  },
  {
    code: "bad_model_path",
    test: /Repo id must be in the form|is not a local folder and is not a valid model identifier/i,
    say: (_m, context) => `${theModel(context)} is neither a model folder nor a Hugging Face repo id`,
  },
  {
    code: "out_of_memory",
    test:
      /Insufficient Memory|OutOfMemory|out of memory|\bMemoryError\b|Unable to allocate|failed to allocate/i,
    say: () => "Not enough GPU memory for this model",
  },
  {
    code: "model_died",
    // 1.8 loads the model in a child process; SIGKILL there is how macOS ends a process out of memory.
    test: /died during initialization \(exit code (-?\d+)\)|is dead \(exit code (-?\d+)\)/,
    say: (m) => {
      const code = m[1] ?? m[2];
      const when = m[1] !== undefined ? "while loading" : "after it was ready";
      return code === "-9"
        ? `The model process was killed ${when} (SIGKILL), as macOS does when memory runs out: use a smaller model or free memory`
        : `The model process crashed ${when} (exit code ${code})`;
    },
  },
  {
    code: "load_timeout",
    test: /did not become ready within (\d+) s/,
    say: (m) =>
      `The model did not load within mlx-openai-server's fixed ${
        m[1]
      } s limit: a large model on a slow disk; starting again is faster once the files are cached`,
  },
  {
    // The manager's own check before a start says it best, naming the holder.
    code: "port_in_use",
    test: /^Port \d+ is (?:in use|used) by /,
    say: (_m, _context, line) => line,
  },
  {
    code: "port_in_use",
    test: /address already in use|\[Errno (?:48|98)\]/i,
    say: (_m, context, line) => {
      const port = /, (\d+)\)/.exec(line)?.[1] ?? context.port;
      return port ? `Port ${port} is in use by another program` : "The port is in use by another program";
    },
  },
  {
    code: "server_missing",
    test:
      /No module named '?mlx_openai_server|mlx-openai-server: (?:command )?not found|command not found: mlx-openai-server/i,
    say: () => "mlx-openai-server is not installed",
  },
  {
    code: "package_missing",
    test: /No module named '([\w.]+)'/,
    say: (m) => `A Python package the server needs is missing: ${m[1]}`,
  },
  {
    code: "unsupported_architecture",
    test: /Model type (\S+?)\.? not supported/i,
    say: (m) =>
      `This model's architecture (${
        m[1]
      }) is not supported by the installed mlx-lm: update mlx-openai-server`,
  },
  {
    code: "remote_code",
    test: /trust_remote_code/,
    say: () => "The model ships custom code: turn on Trust remote code in the profile",
  },
  {
    code: "load_failed",
    // 1.8's parent reports its model process's load error; the rules above know the common ones.
    test: /failed to initialize: (?:Error loading model: )?(.+)$/,
    say: (m) => `The model could not be loaded: ${m[1]}`,
  },
  {
    code: "option_refused",
    test: /^Error: (No such option|Invalid value|Missing option)(.*)$/,
    say: (m) => `The installed mlx-openai-server refused an option: ${m[1]}${m[2]}`,
  },
];

/** Lines that say something failed without saying what. */
const GENERIC =
  /Traceback \(most recent call last\)|Application startup failed|Waiting for application|^\s*File "|^\s*\^+\s*$/;
const ERRORISH = /\b(error|exception|failed|fatal|abort|killed|denied)\b|Error:/i;

/** A log line without its timestamp, level and source prefix. */
function message(line: string): string {
  return line
    .replace(/^\d{4}-\d\d-\d\d[ T][\d:.,]+\s*\|\s*\w+\s*\|\s*[^|]*\|\s*(?:✦\s*)?/, "")
    .replace(/^(?:ERROR|CRITICAL|WARNING|INFO):\s+/, "")
    .trim();
}

function knownCause(lines: readonly string[], context: ReasonContext): FailureCause | null {
  for (const rule of RULES) {
    for (const line of lines) {
      const match = rule.test.exec(line);
      if (match) return { text: rule.say(match, context, line), code: rule.code };
    }
  }
  return null;
}

function lastErrorLine(lines: readonly string[]): string | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    if (GENERIC.test(lines[i]) || !ERRORISH.test(lines[i])) continue;
    const text = message(lines[i]);
    if (text) return text;
  }
  return null;
}

/**
 * One sentence saying why the server failed, from its output lines (oldest
 * first), or `null` when they hold nothing that looks like an error.
 *
 * @example
 * ```ts
 * failureReason(["libc++abi: … Insufficient Memory (…OutOfMemory)"]); // "Not enough GPU memory for this model"
 * failureReason(["ERROR:    [Errno 48] error while attempting to bind on address ('127.0.0.1', 10240): address already in use"]);
 * // "Port 10240 is in use by another program"
 * failureReason(["ValueError: bad config"]); // "ValueError: bad config"
 * ```
 */
export function failureReason(lines: readonly string[], context: ReasonContext = {}): string | null {
  return knownCause(lines, context)?.text ?? lastErrorLine(lines);
}

/** The manager's own lines in a server's log. */
const NOTE = "[mlx-manager]";
/** The manager's line that opens a run. */
const RUN_START = /^\[mlx-manager\] \S+ Starting: /;
/** The supervisor's summaries that only say the process ended. */
const EXIT_ONLY = /^The server (?:exited|was killed|stopped|ended)/;

/** The supervisor's summary of a start that ran out of time. */
const DEADLINE = /^Did not become ready within/;

/**
 * How far a 1.8 server got before its start ran out of time, from its
 * lifecycle lines; empty for versions without them.
 */
function loadPhase(lines: readonly string[]): string {
  if (lines.some((l) => l.includes("Handler process ready") || /Handler process for '.*' is ready/.test(l))) {
    return " (the model had loaded; the server did not open its port)";
  }
  if (lines.some((l) => l.includes("Spawned handler process"))) return " (the model was still loading)";
  return "";
}

/**
 * The lines of the last run in a server's log: after the manager's last
 * "Starting:" line, without the manager's own lines.
 *
 * @example
 * ```ts
 * lastRun(["[mlx-manager] t Starting: a", "old", "[mlx-manager] t Starting: b", "new"]); // ["new"]
 * ```
 */
export function lastRun(log: readonly string[]): string[] {
  let start = 0;
  for (let i = log.length - 1; i >= 0; i--) {
    if (RUN_START.test(log[i])) {
      start = i + 1;
      break;
    }
  }
  return log.slice(start).filter((line) => !line.startsWith(NOTE));
}

/**
 * Why a failed or crashed server failed: from its status's `last_error` (a
 * summary line, then the last log lines) and, when given, its log (which
 * reaches further back than `last_error`). A known cause wins (the summary's
 * own first: a check before the start names it exactly); then the
 * supervisor's summary unless it only says the process ended; then the last
 * error line; then that summary. `null` when nothing failed.
 *
 * @example
 * ```ts
 * statusCause("The server exited with code 0 before it was ready\nModel type x not supported.");
 * // { text: "This model's architecture (x) is not supported …", code: "unsupported_architecture" }
 * statusCause("Did not become ready within 300 s"); // { text: "Did not become ready within 300 s", code: null }
 * ```
 */
export function statusCause(
  lastError: string | null,
  log: readonly string[] = [],
  context: ReasonContext = {},
): FailureCause | null {
  if (!lastError) return null;
  const [summary, ...tail] = lastError.split("\n");
  const run = lastRun(log);
  const known = knownCause([summary], context) ?? knownCause(run, context) ?? knownCause(tail, context);
  if (known) return known;
  if (DEADLINE.test(summary)) return { text: `${summary}${loadPhase(run.length ? run : tail)}`, code: null };
  const text = EXIT_ONLY.test(summary) ? lastErrorLine(run) ?? lastErrorLine(tail) ?? summary : summary;
  return { text, code: null };
}

/**
 * The sentence of {@link statusCause}.
 *
 * @example
 * ```ts
 * statusReason("The server exited with code 0 before it was ready\nModel type x not supported.");
 * // "This model's architecture (x) is not supported by the installed mlx-lm: update mlx-openai-server"
 * statusReason("Did not become ready within 300 s"); // "Did not become ready within 300 s"
 * ```
 */
export function statusReason(
  lastError: string | null,
  log: readonly string[] = [],
  context: ReasonContext = {},
): string | null {
  return statusCause(lastError, log, context)?.text ?? null;
}

/**
 * The last `count` log lines a status's `last_error` carries (the lines
 * after its summary), oldest first.
 *
 * @example
 * ```ts
 * lastErrorTail("The server exited\na\nb\nc", 2); // ["b", "c"]
 * ```
 */
export function lastErrorTail(lastError: string | null, count: number): string[] {
  return count > 0 ? (lastError ?? "").split("\n").slice(1).slice(-count) : [];
}
