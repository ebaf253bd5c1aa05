/**
 * Cold start: from spawning `deno task start` (assets already built) to the
 * first 200 from `/health`, median of 5. Target ≤ 500 ms.
 *
 * Run: deno run -A bench/cold_start.ts
 *
 * @module
 */
import { ROOT } from "../lib/assets.ts";
import { freePort } from "../tests/helpers/net.ts";

/** Starts the app once and returns the milliseconds until `/health` answers 200. */
export async function coldStartOnce(): Promise<number> {
  const dataDir = await Deno.makeTempDir();
  const port = freePort();
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "start"],
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
        if (res.status === 200) return performance.now() - started;
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

/** Median of `runs` cold starts. */
export async function coldStart(runs = 5): Promise<{ median: number; all: number[] }> {
  const all: number[] = [];
  for (let i = 0; i < runs; i++) all.push(await coldStartOnce());
  const sorted = [...all].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], all };
}

if (import.meta.main) {
  const { median, all } = await coldStart();
  // deno-lint-ignore no-console
  console.log(
    `cold start to first /health 200: median ${median.toFixed(0)} ms (runs: ${
      all.map((t) => t.toFixed(0)).join(", ")
    }; target ≤ 500 ms)`,
  );
}
