/**
 * Runs every benchmark in turn and prints its numbers (`deno task bench`).
 * `deno task bench servers --duration=10` runs only the matching ones, passing
 * the remaining arguments on. Benchmarks are never part of `deno task test`.
 *
 * @module
 */
const BENCHES = [
  "first_load.ts",
  "cold_start.ts",
  "servers.ts",
  "downloads.ts",
  "chat_stream.ts",
  "local_models.ts",
  "gateway.ts",
  "batching.ts",
  "system_metrics.ts",
  "cli.ts",
  "abuse.ts",
  "connections.ts",
  "upstreams.ts",
  "bridges.ts",
  "limits.ts",
];

const [only, ...rest] = Deno.args;
// One failing benchmark does not hide the others' numbers: each runs, failures are listed at the end.
const failed: string[] = [];
for (const file of BENCHES) {
  if (only && !file.includes(only)) continue;
  const status = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(file, import.meta.url).pathname, ...(only ? rest : [])],
    stdout: "inherit",
    stderr: "inherit",
  }).spawn().status;
  if (!status.success) failed.push(`${file} (exit ${status.code})`);
}
if (failed.length) {
  // deno-lint-ignore no-console
  console.error(`Failed: ${failed.join(", ")}`);
  Deno.exit(1);
}
