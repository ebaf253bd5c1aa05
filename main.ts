/**
 * MLX Manager: the command line and the web server. The commands live in
 * `cli/`; `mlx-manager --help` lists them.
 *
 * @module
 */
import { runCli } from "./cli/mod.ts";

if (import.meta.main) Deno.exit(await runCli(Deno.args));
