/**
 * Command-line latency, from spawn to exit, median of 5: `--version`, and
 * `status` and `menubar render` signed in against a running manager (xbar
 * runs the render every 10 s: target ≤ 1 s).
 *
 * Run: deno run -A bench/cli_latency.ts
 *
 * @module
 */
import { listen, testRuntime } from "../tests/helpers/runtime.ts";
import { createUser } from "../tests/helpers/auth.ts";
import { cli } from "../tests/helpers/cli.ts";
import { saveToken } from "../cli/token_store.ts";

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

const rt = await testRuntime();
const user = await createUser(rt, { admin: true });
const server = listen(rt);
const home = await Deno.makeTempDir();
await saveToken(home, { url: server.url, token: user.token, email: user.email, saved_at: "" });
try {
  const version = await median(5, () => cli(["--version"], { home }));
  const status = await median(5, async () => {
    const result = await cli(["status"], { home });
    if (result.code !== 0) throw new Error(result.stderr);
  });
  const render = await median(5, async () => {
    const result = await cli(["menubar", "render"], { home });
    if (!result.stdout.startsWith("MLX ●")) {
      throw new Error(`Unexpected menu:\n${result.stdout}${result.stderr}`);
    }
  });
  // deno-lint-ignore no-console
  console.log(
    [
      "command line (spawn to exit, median of 5)",
      `  mlx-manager --version:          ${version.toFixed(0)} ms`,
      `  mlx-manager status:             ${status.toFixed(0)} ms`,
      `  mlx-manager menubar render:     ${render.toFixed(0)} ms (target ≤ 1000 ms)`,
    ].join("\n"),
  );
} finally {
  await server.stop();
  await rt.close();
  await Deno.remove(home, { recursive: true });
}
