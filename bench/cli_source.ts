/**
 * The command line run from its sources, whatever the state of the bundle:
 * what `main.ts` did before it started from the prebuilt bundle. `bench/cli.ts`
 * compares the two.
 *
 * @module
 */
import { runCli } from "../cli/mod.ts";

if (import.meta.main) Deno.exit(await runCli(Deno.args));
