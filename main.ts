/**
 * MLX Manager: the command line and the web server. The commands live in
 * `cli/`; `mlx-manager --help` lists them.
 *
 * From source, the command line runs from the prebuilt bundle in `_server/`
 * when it was built from the sources as they are: Deno then compiles a few
 * bundled scripts instead of every module a command could load, so
 * `--version`, `status` and `menubar render` (run every 10 s) start at once.
 * Both imports are computed on purpose: Deno loads a literal dynamic import
 * ahead, with its whole graph. `deno compile` includes `cli/mod.ts` itself.
 *
 * @module
 */
import { pathToFileURL } from "node:url";
import { freshBundle } from "./tasks/build_stamp.ts";

/** The module that exports `runCli`: the fresh server bundle, else the sources. */
async function cliModule(): Promise<string> {
  const bundle = await freshBundle();
  return bundle ? pathToFileURL(bundle).href : new URL("./cli/mod.ts", import.meta.url).href;
}

if (import.meta.main) {
  const { runCli } = await import(await cliModule()) as { runCli: (argv: string[]) => Promise<number> };
  Deno.exit(await runCli(Deno.args));
}
