/**
 * Cold start: from spawning the server to the first 200 from `/health`, from
 * the prebuilt bundle (`tasks/start.ts serve`, what `deno task start` and a
 * fresh `main.ts` run) and from the sources (`bench/cli_source.ts serve`), in
 * paired alternating rounds, with the server's CPU until that answer.
 * Target ≤ 500 ms from the bundle.
 *
 * Run: deno run -A bench/cold_start.ts [--rounds=5]
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../lib/paths.ts";
import { freshBundle } from "../tasks/build_stamp.ts";
import { freePort } from "../tests/helpers/net.ts";
import { cpuSeconds, formatSummary, pairedRatio, pairedRounds, report, summarize } from "./stats.ts";

/** One start: milliseconds to the first `/health` 200 and the server's CPU milliseconds meanwhile. */
export interface ColdStart {
  ms: number;
  cpuMs: number;
}

/** Starts the app from `entry` once and measures the time until `/health` answers 200. */
export async function coldStartOnce(entry = join(ROOT, "tasks", "start.ts")): Promise<ColdStart> {
  const dataDir = await Deno.makeTempDir();
  const port = freePort();
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", join(ROOT, "deno.json"), entry, "serve"],
    cwd: ROOT,
    env: { MLX_MANAGER_DATA_DIR: dataDir, MLX_MANAGER_PORT: String(port), MLX_MANAGER_LOG_LEVEL: "warn" },
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    while (performance.now() - started < 20_000) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        await res.body?.cancel();
        if (res.status === 200) {
          const ms = performance.now() - started;
          return { ms, cpuMs: (await cpuSeconds(child.pid)) * 1000 };
        }
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error("The app did not answer /health within 20 s");
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await Deno.remove(dataDir, { recursive: true });
  }
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { rounds: { type: "string", default: "5" } } });
  const rounds = Number(values.rounds);
  if (!await freshBundle()) await (await import("../tasks/build.ts")).build();
  const { a: source, b: bundle } = await pairedRounds(
    rounds,
    () => coldStartOnce(join(ROOT, "bench", "cli_source.ts")),
    () => coldStartOnce(),
  );
  report(`cold start to first /health 200, ${rounds} paired rounds`);
  report(
    `  from the bundle:   ${formatSummary(summarize(bundle.map((s) => s.ms)), "ms", 0)} (target ≤ 500 ms)`,
  );
  report(`  from the sources:  ${formatSummary(summarize(source.map((s) => s.ms)), "ms", 0)}`);
  report(`  bundle/sources:    ${formatSummary(pairedRatio(source, bundle, (s) => s.ms), "", 3)}`);
  report(`  server CPU bundle: ${formatSummary(summarize(bundle.map((s) => s.cpuMs)), "ms", 0)}`);
  report(`  server CPU source: ${formatSummary(summarize(source.map((s) => s.cpuMs)), "ms", 0)}`);
}
