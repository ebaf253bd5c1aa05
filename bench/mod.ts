/**
 * Runs every benchmark in turn and prints its numbers (`deno task bench`).
 * Benchmarks are never part of `deno task test`.
 *
 * @module
 */
const BENCHES = ["first_load.ts", "cold_start.ts", "system_metrics.ts", "cli_latency.ts"];

const only = Deno.args[0];
for (const file of BENCHES) {
  if (only && !file.includes(only)) continue;
  const status = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(file, import.meta.url).pathname],
    stdout: "inherit",
    stderr: "inherit",
  }).spawn().status;
  if (!status.success) Deno.exit(status.code);
}
