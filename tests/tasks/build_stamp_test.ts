import assert from "node:assert/strict";
import { join } from "node:path";
import { freshBundle, isBuildStale, sourceHash } from "../../tasks/build_stamp.ts";

/** A project folder with one source file, a built manifest for it and a server bundle. */
async function project(): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "mlx-manager-stamp-" });
  for (const dir of ["islands", "lib", "_build", "_server"]) await Deno.mkdir(join(root, dir));
  await Deno.writeTextFile(join(root, "lib", "a.ts"), "export const a = 1;\n");
  await Deno.writeTextFile(join(root, "_server", "mod.js"), "export {};\n");
  const manifest = { sourceHash: await sourceHash(root) };
  await Deno.writeTextFile(join(root, "_build", "manifest.json"), JSON.stringify(manifest));
  return root;
}

Deno.test("freshBundle() names the server bundle only while it was built from the sources as they are", async () => {
  const root = await project();
  try {
    assert.equal(await freshBundle(root), join(root, "_server", "mod.js"));
    assert.equal(await isBuildStale(root), false);
    await Deno.writeTextFile(join(root, "lib", "a.ts"), "export const a = 22;\n");
    assert.equal(await freshBundle(root), null, "a changed source makes the bundle stale");
    assert.equal(await isBuildStale(root), true);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("freshBundle() is null without a bundle, and without sources (a compiled binary)", async () => {
  const root = await project();
  try {
    await Deno.remove(join(root, "_server", "mod.js"));
    assert.equal(await freshBundle(root), null);
    await Deno.remove(join(root, "islands"));
    assert.equal(await freshBundle(root), null, "no sources: the binary's own modules run");
    assert.equal(await isBuildStale(root), false, "nothing to build from");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
