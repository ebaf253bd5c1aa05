/**
 * `deno run -A tasks/agent_clis.ts`: installs the coding agents' command
 * lines the end-to-end tests drive (Claude Code and Codex, pinned versions,
 * from npm) into `_tools/agent-clis/`, unless those versions are already
 * there. `.ci/run` runs it before the tests.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** The pinned versions, one place for the installer and the tests. */
export const AGENT_CLIS = {
  claude: { package: "@anthropic-ai/claude-code", version: "2.1.328" },
  codex: { package: "@openai/codex", version: "0.169.0" },
} as const;

/** Where they are installed. */
export const AGENT_CLIS_DIR = fileURLToPath(new URL("../_tools/agent-clis", import.meta.url));

/** The executable of a command line once installed. */
export function agentCliPath(name: keyof typeof AGENT_CLIS): string {
  return `${AGENT_CLIS_DIR}/node_modules/.bin/${name}`;
}

/** The command that installs them. */
export const INSTALL_HINT = "deno run -A tasks/agent_clis.ts";

async function installedVersion(name: keyof typeof AGENT_CLIS): Promise<string | null> {
  try {
    const manifest = `${AGENT_CLIS_DIR}/node_modules/${AGENT_CLIS[name].package}/package.json`;
    return JSON.parse(await Deno.readTextFile(manifest)).version ?? null;
  } catch {
    return null;
  }
}

if (import.meta.main) {
  const missing = [];
  for (const name of Object.keys(AGENT_CLIS) as (keyof typeof AGENT_CLIS)[]) {
    if (await installedVersion(name) !== AGENT_CLIS[name].version) missing.push(name);
  }
  if (missing.length > 0) {
    await Deno.mkdir(AGENT_CLIS_DIR, { recursive: true });
    const specs = Object.values(AGENT_CLIS).map((c) => `${c.package}@${c.version}`);
    const status = await new Deno.Command("npm", {
      args: ["install", "--prefix", AGENT_CLIS_DIR, "--no-audit", "--no-fund", "--no-save", ...specs],
      stdout: "inherit",
      stderr: "inherit",
    }).spawn().status;
    if (!status.success) Deno.exit(status.code || 1);
  }
  for (const name of Object.keys(AGENT_CLIS) as (keyof typeof AGENT_CLIS)[]) {
    const out = await new Deno.Command(agentCliPath(name), {
      args: ["--version"],
      stdout: "piped",
      stderr: "piped",
    })
      .output();
    // deno-lint-ignore no-console
    console.log(`${name}: ${new TextDecoder().decode(out.stdout).trim()}`);
  }
}
