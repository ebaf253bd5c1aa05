/**
 * `deno task start`: builds when the sources changed, then runs the command
 * line from the server bundle in `_server/`. Loading a few bundled scripts
 * instead of a couple of hundred modules halves the time to a listening server.
 *
 * This module's own imports stay small on purpose; the bundle (and the build,
 * when needed) is imported by a computed specifier, so Deno does not load it
 * (or the sources) before it runs.
 *
 * @module
 */
import { pathToFileURL } from "node:url";
import { isBuildStale } from "./build_stamp.ts";
import { SERVER_BUNDLE } from "../lib/paths.ts";

if (import.meta.main) {
  if (await isBuildStale()) {
    // deno-lint-ignore no-console
    console.error("Building MLX Manager");
    const builder = new URL("./build.ts", import.meta.url).href;
    await (await import(builder) as { build: () => Promise<unknown> }).build();
  }
  const { runCli } = await import(pathToFileURL(SERVER_BUNDLE).href) as {
    runCli: (argv: string[]) => Promise<number>;
  };
  Deno.exit(await runCli(Deno.args));
}
