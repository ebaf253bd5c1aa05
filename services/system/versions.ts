/**
 * Versions of the installed model server and of the Python it runs on, read
 * from the programs themselves rather than by importing their Python modules,
 * whose import names differ from the package names.
 *
 * @module
 */
import type { CommandRunner } from "../platform/runner.ts";
import { parseServerVersion } from "../platform/version.ts";

/**
 * Runs `<executable> --version`. The real server imports its whole stack
 * first, so this takes seconds: the timeout is generous.
 *
 * @example
 * ```ts
 * await probeServerVersion(new DenoCommandRunner(), "/opt/homebrew/bin/mlx-openai-server"); // "1.5.1"
 * ```
 */
export async function probeServerVersion(runner: CommandRunner, executable: string): Promise<string | null> {
  const result = await runner.run(executable, ["--version"], { timeoutMs: 60_000 });
  if (result.code !== 0) return null;
  return parseServerVersion(result.stdout) ?? parseServerVersion(result.stderr);
}

/**
 * The Python interpreter a console script runs on, from its first lines:
 * `#!/path/bin/python3.12`, or pip's `'''exec' "/path with spaces/python" "$0" "$@"`
 * form. `#!/usr/bin/env python3` gives null: that Python is not necessarily
 * the one the package is installed in.
 *
 * @example
 * ```ts
 * interpreterOf("#!/Users/ada/.venv/bin/python3.12\n"); // "/Users/ada/.venv/bin/python3.12"
 * ```
 */
export function interpreterOf(head: string): string | null {
  const direct = head.match(/^#!\s*(\/\S*\/python[\w.]*)\s*$/m);
  if (direct) return direct[1];
  const wrapped = head.match(/^'''exec' "?([^"\n]*\/python[\w.]*)"? "\$0" "\$@"/m);
  return wrapped ? wrapped[1] : null;
}

async function readHead(path: string): Promise<string> {
  try {
    using file = await Deno.open(path);
    const buffer = new Uint8Array(1024);
    const n = await file.read(buffer);
    return new TextDecoder().decode(buffer.subarray(0, n ?? 0));
  } catch {
    return "";
  }
}

/** Versions of Python and of the MLX packages the server runs on. */
export interface PythonVersions {
  python: string | null;
  mlx: string | null;
  mlxLm: string | null;
}

const SCRIPT = [
  "import sys",
  "from importlib.metadata import version",
  "print(sys.version.split()[0])",
  "for name in ('mlx', 'mlx-lm'):",
  "    try: print(version(name))",
  "    except Exception: print('')",
].join("\n");

/**
 * Asks the server's own Python for its version and the `mlx` and `mlx-lm`
 * package versions.
 */
export async function probePython(runner: CommandRunner, executable: string): Promise<PythonVersions> {
  const none = { python: null, mlx: null, mlxLm: null };
  const python = interpreterOf(await readHead(executable));
  if (!python) return none;
  const result = await runner.run(python, ["-c", SCRIPT], { timeoutMs: 30_000 });
  if (result.code !== 0) return none;
  const [py, mlx, mlxLm] = result.stdout.split("\n").map((line) => line.trim() || null);
  const version = (v: string | null | undefined) => v && /^\d[\w.+-]*$/.test(v) ? v : null;
  return { python: version(py), mlx: version(mlx), mlxLm: version(mlxLm) };
}
