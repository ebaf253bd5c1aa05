/**
 * Opening a URL in the user's browser: `open` on macOS, `xdg-open` on Linux,
 * `start` on Windows.
 *
 * @module
 */
import type { CommandRunner } from "../services/platform/runner.ts";
import type { OsName } from "../services/system/probes.ts";

/**
 * The command that opens `url` on `os`.
 *
 * @example
 * ```ts
 * openCommand("darwin", "http://127.0.0.1:8080"); // { cmd: "open", args: ["http://127.0.0.1:8080"] }
 * ```
 */
export function openCommand(os: OsName, url: string): { cmd: string; args: string[] } {
  if (os === "darwin") return { cmd: "open", args: [url] };
  if (os === "windows") return { cmd: "cmd", args: ["/c", "start", "", url] };
  return { cmd: "xdg-open", args: [url] };
}

/** Opens `url`; returns a reason when it could not. */
export async function openUrl(runner: CommandRunner, os: OsName, url: string): Promise<string | null> {
  const { cmd, args } = openCommand(os, url);
  const result = await runner.run(cmd, args, { timeoutMs: 15_000 });
  if (result.code === 0) return null;
  return result.code === 127
    ? `${cmd} is not installed`
    : (result.stderr.trim() || `${cmd} exited with ${result.code}`);
}
