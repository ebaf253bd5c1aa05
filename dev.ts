/**
 * Development tasks. `deno run -A dev.ts build` builds the assets once;
 * `deno run -A dev.ts` builds, then watches islands and CSS and runs the app
 * with `--watch` and live reload.
 *
 * @module
 */
import { build, bundleArgs, cssArgs, writeManifest } from "./tasks/build.ts";
import { BUILD_DIR, ROOT } from "./lib/paths.ts";

async function dev(): Promise<void> {
  await build();
  const spawn = (args: string[], env: Record<string, string> = {}) =>
    new Deno.Command(Deno.execPath(), { args, cwd: ROOT, stdin: "null", env })
      .spawn();
  const children = [
    spawn([...bundleArgs(), "--watch"]),
    // `--watch=always`: plain --watch exits when stdin closes.
    spawn([...cssArgs(), "--watch=always"]),
    spawn(["run", "-A", "--watch", "main.ts", "serve"], {
      MLX_MANAGER_DEV: "true",
    }),
  ];
  // Keep the manifest (and precompressed files) in step with the watchers' output.
  let timer: ReturnType<typeof setTimeout> | undefined;
  (async () => {
    for await (const event of Deno.watchFs(BUILD_DIR)) {
      if (event.paths.every((p) => /\.(gz|br|json)$/.test(p))) continue;
      clearTimeout(timer);
      timer = setTimeout(() => writeManifest().catch(() => {}), 100);
    }
  })();
  Deno.addSignalListener("SIGINT", () => {
    for (const child of children) child.kill();
    Deno.exit(0);
  });
  await Promise.all(children.map((c) => c.status));
}

if (import.meta.main) {
  if (Deno.args[0] === "build") {
    const manifest = await build();
    // deno-lint-ignore no-console
    console.log(`Built assets ${manifest.buildId} into ${BUILD_DIR}`);
  } else {
    await dev();
  }
}
