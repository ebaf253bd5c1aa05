/**
 * Command-line start-up: `mlx-manager --version`, `status` and `menubar
 * render` (xbar runs it every 10 s), each from the sources
 * (`bench/cli_source.ts`, every module a command could load) and as
 * `main.ts` runs it with a fresh build (the bundle in `_server/`), in paired
 * alternating rounds against a manager (`main.ts serve`) in its own process.
 *
 * Prints for each command min/median/max of the wall time (spawn to exit) and
 * of the command's own CPU time (user + system, as the shell's `times`
 * reports for a finished child), the median of the paired bundle/source
 * ratios, and the manager's CPU per command. Target: under 100 ms of the
 * command's own time from the bundle.
 *
 * Run: deno run -A bench/cli.ts [--rounds=7]
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { freshBundle } from "../tasks/build_stamp.ts";
import { ROOT } from "../lib/paths.ts";
import { saveToken } from "../cli/token_store.ts";
import { cliEnv } from "../tests/helpers/cli.ts";
import { benchManager } from "./harness.ts";
import { cpuSeconds, formatSummary, pairedRatio, pairedRounds, report, summarize } from "./stats.ts";

const args = parseArgs({ args: Deno.args, options: { rounds: { type: "string", default: "7" } } });
const rounds = Number(args.values.rounds);

if (!await freshBundle()) {
  report("Building MLX Manager (the bundle is stale)");
  await (await import("../tasks/build.ts")).build();
}

interface Sample {
  wallMs: number;
  cpuMs: number;
  managerCpuMs: number;
}

/** `times` prints the shell's own times, then its children's: `0m0.030s 0m0.010s`. */
function childCpuMs(times: string): number {
  const line = times.trim().split("\n").pop() ?? "";
  return line.split(/\s+/).map((part) => {
    const m = part.match(/^(\d+)m([\d.]+)s$/);
    return m ? Number(m[1]) * 60_000 + Number(m[2]) * 1000 : NaN;
  }).reduce((a, b) => a + b, 0);
}

const manager = await benchManager();
const home = await Deno.makeTempDir({ prefix: "mlx-manager-cli-bench-" });
await saveToken(home, { url: manager.url, token: manager.token, email: "bench@example.com", saved_at: "" });

async function run(entry: string, command: string[], expect: RegExp): Promise<Sample> {
  const deno = ["run", "-A", "--config", join(ROOT, "deno.json"), entry, ...command];
  const managerCpu = await cpuSeconds(manager.pid);
  const started = performance.now();
  const out = await new Deno.Command("bash", {
    args: ["-c", '"$@" > "$OUT" 2>&1; code=$?; times; exit $code', "bash", Deno.execPath(), ...deno],
    env: { ...cliEnv(home), OUT: join(home, "out.txt") },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const wallMs = performance.now() - started;
  const printed = await Deno.readTextFile(join(home, "out.txt"));
  if (!out.success || !expect.test(printed)) {
    throw new Error(`${command.join(" ")} from ${entry} failed (exit ${out.code}):\n${printed}`);
  }
  return {
    wallMs,
    cpuMs: childCpuMs(new TextDecoder().decode(out.stdout)),
    managerCpuMs: (await cpuSeconds(manager.pid) - managerCpu) * 1000,
  };
}

const COMMANDS: [string[], RegExp][] = [
  [["--version"], /^MLX Manager \d/],
  [["status"], /./],
  [["menubar", "render"], /^MLX ●/],
];

try {
  report(`command line: from the sources vs from the bundle, ${rounds} paired rounds`);
  for (const [command, expect] of COMMANDS) {
    const { a: source, b: bundle } = await pairedRounds(
      rounds,
      () => run(join(ROOT, "bench", "cli_source.ts"), command, expect),
      () => run(join(ROOT, "main.ts"), command, expect),
    );
    const name = `mlx-manager ${command.join(" ")}`;
    report(`  ${name}`);
    report(`    source wall:    ${formatSummary(summarize(source.map((s) => s.wallMs)), "ms", 0)}`);
    report(`    bundle wall:    ${formatSummary(summarize(bundle.map((s) => s.wallMs)), "ms", 0)}`);
    report(`    source CPU:     ${formatSummary(summarize(source.map((s) => s.cpuMs)), "ms", 0)}`);
    report(
      `    bundle CPU:     ${
        formatSummary(summarize(bundle.map((s) => s.cpuMs)), "ms", 0)
      } (target < 100 ms)`,
    );
    report(`    bundle/source:  wall ${formatSummary(pairedRatio(source, bundle, (s) => s.wallMs), "", 3)}`);
    report(`                    CPU  ${formatSummary(pairedRatio(source, bundle, (s) => s.cpuMs), "", 3)}`);
    report(`    manager CPU:    ${formatSummary(summarize(bundle.map((s) => s.managerCpuMs)), "ms", 0)}`);
  }
} finally {
  await manager.stop();
  await Deno.remove(home, { recursive: true });
}
