/**
 * The build: bundles the islands and the boot script for the browser, builds
 * the stylesheet, precompresses them and writes the manifest into `_build/`,
 * and bundles the server into `_server/` for `deno task start`.
 *
 * @module
 */
import { brotliCompressSync, gzipSync } from "node:zlib";
import { join } from "node:path";
import type { Manifest } from "../lib/manifest.ts";
import { BUILD_DIR, ROOT, SERVER_BUNDLE } from "../lib/paths.ts";
import { sha256, sourceHash } from "./build_stamp.ts";

/** The island files: PascalCase `.tsx` modules directly in `islands/`. */
export function islandFiles(root: string = ROOT): string[] {
  return [...Deno.readDirSync(join(root, "islands"))]
    .filter((e) => e.isFile && /^[A-Z][A-Za-z0-9]*\.tsx$/.test(e.name))
    .map((e) => e.name)
    .sort();
}

async function run(args: string[], cwd: string): Promise<void> {
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!output.success) {
    const text = new TextDecoder().decode(output.stderr) +
      new TextDecoder().decode(output.stdout);
    throw new Error(`Cannot build assets: deno ${args[0]} failed\n${text}`);
  }
}

/** Arguments of the island bundler; shared by the build and `dev.ts`'s watcher. */
export function bundleArgs(
  root: string = ROOT,
  outDir: string = join(BUILD_DIR, "js"),
): string[] {
  const entries = [
    "client.ts",
    ...islandFiles(root).map((f) => `islands/${f}`),
  ];
  return [
    "bundle",
    "--quiet",
    "--platform",
    "browser",
    "--code-splitting",
    "--minify",
    "--outdir",
    outDir,
    ...entries,
  ];
}

/**
 * Arguments of the server bundle: the command line and every module it loads
 * in a few files, so a start compiles a handful of scripts instead of a couple
 * of hundred modules. Lazily loaded parts stay in their own chunks.
 */
export function serverBundleArgs(outDir: string = join(SERVER_BUNDLE, "..")): string[] {
  return ["bundle", "--quiet", "--platform", "deno", "--code-splitting", "--outdir", outDir, "cli/mod.ts"];
}

/** Arguments of the stylesheet build; shared by the build and `dev.ts`'s watcher. */
export function cssArgs(
  outFile: string = join(BUILD_DIR, "styles.css"),
): string[] {
  return [
    "run",
    "-A",
    "npm:@tailwindcss/cli",
    "-i",
    "static/styles.css",
    "-o",
    outFile,
    "--minify",
  ];
}

async function filesIn(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) out.push(...await filesIn(path));
    else out.push(path);
  }
  return out;
}

/**
 * Writes gzip and brotli variants and the manifest for what is in `_build`.
 * Called after every bundle (also by the dev watcher).
 */
export async function writeManifest(root: string = ROOT): Promise<Manifest> {
  const buildDir = join(root, "_build");
  const files = (await filesIn(buildDir)).filter((f) => /\.(js|css)$/.test(f))
    .sort();
  const hashes: string[] = [];
  for (const file of files) {
    const data = await Deno.readFile(file);
    hashes.push(await sha256(data));
    await Deno.writeFile(`${file}.gz`, gzipSync(data, { level: 9 }));
    await Deno.writeFile(`${file}.br`, brotliCompressSync(data));
  }
  const buildId = await sha256(hashes.join(""));
  const url = (path: string) => `/_build/${path}?v=${buildId}`;
  const islands: Record<string, string> = {};
  for (const file of islandFiles(root)) {
    islands[file.replace(/\.tsx$/, "")] = url(
      `js/islands/${file.replace(/\.tsx$/, ".js")}`,
    );
  }
  const manifest: Manifest = {
    buildId,
    sourceHash: (await sourceHash(root)) ?? "",
    css: url("styles.css"),
    assets: { client: url("js/client.js"), islands },
  };
  await Deno.writeTextFile(
    join(buildDir, "manifest.json"),
    JSON.stringify(manifest, null, 2),
  );
  return manifest;
}

/**
 * Builds every asset into `_build/` from scratch.
 *
 * @example
 * ```ts
 * const manifest = await build();
 * manifest.assets.islands.ServerBoard; // "/_build/js/islands/ServerBoard.js?v=…"
 * ```
 */
export async function build(root: string = ROOT): Promise<Manifest> {
  const buildDir = join(root, "_build");
  const serverDir = join(root, "_server");
  await Deno.remove(buildDir, { recursive: true }).catch(() => {});
  await Deno.remove(serverDir, { recursive: true }).catch(() => {});
  await Deno.mkdir(join(buildDir, "js"), { recursive: true });
  await Promise.all([
    run(bundleArgs(root, join(buildDir, "js")), root),
    run(cssArgs(join(buildDir, "styles.css")), root),
    run(serverBundleArgs(serverDir), root),
  ]);
  return await writeManifest(root);
}
