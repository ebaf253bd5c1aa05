/**
 * Runs the real coding agents' command lines (Claude Code, Codex) against a
 * manager on loopback, each in a fresh home and working folder, with nothing
 * pointing past this machine.
 *
 * The tests never skip: when a command line is missing they fail and say how
 * to install it.
 *
 * @module
 */
import { AGENT_CLIS, agentCliPath, INSTALL_HINT } from "../../tasks/agent_clis.ts";

/** What a command line printed and how it ended. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The executable of a command line; fails with the install command when it is not there. */
export function agentCli(name: keyof typeof AGENT_CLIS): string {
  const path = agentCliPath(name);
  try {
    Deno.statSync(path);
  } catch {
    const { package: pkg, version } = AGENT_CLIS[name];
    throw new Error(
      `Cannot run the ${name} end-to-end test: ${pkg}@${version} is not at ${path}. Install it with "${INSTALL_HINT}"`,
    );
  }
  return path;
}

/** Runs a command line with only `env` (and PATH) in a fresh temporary home and working folder. */
export async function runAgentCli(
  name: keyof typeof AGENT_CLIS,
  args: string[],
  env: (home: string) => Promise<Record<string, string>> | Record<string, string>,
  timeoutMs = 90_000,
): Promise<CliRun> {
  const bin = agentCli(name);
  const root = await Deno.makeTempDir({ prefix: `agent-${name}-` });
  const home = `${root}/home`;
  const work = `${root}/work`;
  await Deno.mkdir(home, { recursive: true });
  await Deno.mkdir(work, { recursive: true });
  try {
    const out = await new Deno.Command(bin, {
      args,
      cwd: work,
      clearEnv: true,
      env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: home, ...await env(home) },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(timeoutMs),
    }).output();
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}
