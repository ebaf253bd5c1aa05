/**
 * `deno task compile [--target <triple>]`: builds the assets, then one
 * executable with `_build` and `static` embedded, into `dist/`.
 *
 * Compiling downloads Deno's runtime for the target from dl.deno.land the
 * first time (or uses `DENORT_BIN`).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { build } from "./build.ts";
import { ROOT } from "../lib/paths.ts";

/** The `deno compile` arguments for a target (`null` for this machine). */
export function compileArgs(target: string | null, output: string): string[] {
  return [
    "compile",
    "-A",
    "--include",
    "_build",
    "--include",
    "static",
    // main.ts imports the command line by a computed specifier, and workers are not found by the
    // compiler's import analysis either.
    "--include",
    "cli/mod.ts",
    "--include",
    "services/downloads/hash_worker.ts",
    "--include",
    "services/accounts/password_worker.ts",
    ...(target ? ["--target", target] : []),
    "--output",
    output,
    "main.ts",
  ];
}

if (import.meta.main) {
  const { values } = parseArgs({ args: Deno.args, options: { target: { type: "string" } } });
  const target = values.target ?? null;
  const output = join(ROOT, "dist", target ? `mlx-manager-${target}` : "mlx-manager");
  await build();
  const status = await new Deno.Command(Deno.execPath(), { args: compileArgs(target, output), cwd: ROOT })
    .spawn()
    .status;
  if (!status.success) {
    // deno-lint-ignore no-console
    console.error(
      "Cannot compile: deno compile failed (it needs dl.deno.land or DENORT_BIN for the runtime)",
    );
    Deno.exit(status.code);
  }
  // deno-lint-ignore no-console
  console.log(`Wrote ${output}`);
}
