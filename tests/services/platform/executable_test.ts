import assert from "node:assert/strict";
import { join } from "node:path";
import {
  isVersionedPath,
  locateExecutable,
  resolveExecutable,
  stablePath,
} from "../../../services/platform/executable.ts";

/** A Homebrew prefix with a versioned formula, its bin symlink and its opt symlink. */
async function brewPrefix() {
  const root = await Deno.realPath(await Deno.makeTempDir({ prefix: "brew-" }));
  const prefix = join(root, "opt", "homebrew");
  const cellarBin = join(prefix, "Cellar", "mlx-openai-server", "1.5.1", "bin");
  await Deno.mkdir(cellarBin, { recursive: true });
  await Deno.mkdir(join(prefix, "bin"));
  await Deno.mkdir(join(prefix, "opt"));
  const real = join(cellarBin, "mlx-openai-server");
  await Deno.writeTextFile(real, "#!/bin/sh\necho ok\n", { mode: 0o755 });
  await Deno.symlink(
    "../Cellar/mlx-openai-server/1.5.1/bin/mlx-openai-server",
    join(prefix, "bin", "mlx-openai-server"),
  );
  await Deno.symlink("../Cellar/mlx-openai-server/1.5.1", join(prefix, "opt", "mlx-openai-server"));
  return { root, prefix, cellarBin, real, close: () => Deno.remove(root, { recursive: true }) };
}

Deno.test("a name on PATH resolves to the symlink in bin, not the versioned Cellar file", async () => {
  const brew = await brewPrefix();
  try {
    const path = `${join(brew.prefix, "bin")}:/usr/bin`;
    assert.equal(
      await resolveExecutable("mlx-openai-server", path),
      join(brew.prefix, "bin", "mlx-openai-server"),
    );
  } finally {
    await brew.close();
  }
});

Deno.test("a Cellar folder earlier on PATH loses to a stable entry later on PATH", async () => {
  const brew = await brewPrefix();
  try {
    const path = `${brew.cellarBin}:${join(brew.prefix, "bin")}`;
    assert.equal(
      await resolveExecutable("mlx-openai-server", path),
      join(brew.prefix, "bin", "mlx-openai-server"),
    );
  } finally {
    await brew.close();
  }
});

Deno.test("a versioned path is mapped to the prefix's bin, or to opt when bin has no link", async () => {
  const brew = await brewPrefix();
  try {
    assert.ok(isVersionedPath(brew.real));
    assert.equal(
      await resolveExecutable("mlx-openai-server", brew.cellarBin),
      join(brew.prefix, "bin", "mlx-openai-server"),
    );
    assert.equal(await resolveExecutable(brew.real, ""), join(brew.prefix, "bin", "mlx-openai-server"));
    await Deno.remove(join(brew.prefix, "bin", "mlx-openai-server"));
    assert.equal(
      await stablePath(brew.real),
      join(brew.prefix, "opt", "mlx-openai-server", "bin", "mlx-openai-server"),
    );
    await Deno.remove(join(brew.prefix, "opt", "mlx-openai-server"));
    assert.equal(await stablePath(brew.real), brew.real, "no stable alternative: the path stays");
  } finally {
    await brew.close();
  }
});

Deno.test("a bin link to another formula is not taken for the stable path", async () => {
  const brew = await brewPrefix();
  try {
    const other = join(brew.prefix, "Cellar", "other", "2.0", "bin");
    await Deno.mkdir(other, { recursive: true });
    await Deno.writeTextFile(join(other, "mlx-openai-server"), "#!/bin/sh\n", { mode: 0o755 });
    await Deno.remove(join(brew.prefix, "bin", "mlx-openai-server"));
    await Deno.symlink(join(other, "mlx-openai-server"), join(brew.prefix, "bin", "mlx-openai-server"));
    assert.equal(
      await stablePath(brew.real),
      join(brew.prefix, "opt", "mlx-openai-server", "bin", "mlx-openai-server"),
    );
  } finally {
    await brew.close();
  }
});

Deno.test("symlinks outside a Cellar are kept as they are, and non-executables are skipped", async () => {
  const brew = await brewPrefix();
  try {
    const venv = join(brew.root, "venv", "bin");
    const local = join(brew.root, "local", "bin");
    await Deno.mkdir(venv, { recursive: true });
    await Deno.mkdir(local, { recursive: true });
    await Deno.writeTextFile(join(venv, "tool"), "#!/bin/sh\n", { mode: 0o755 });
    await Deno.symlink(join(venv, "tool"), join(local, "tool"));
    const notExecutable = join(brew.root, "plain");
    await Deno.mkdir(notExecutable);
    await Deno.writeTextFile(join(notExecutable, "tool"), "data", { mode: 0o644 });
    assert.equal(await resolveExecutable("tool", `${notExecutable}:${local}`), join(local, "tool"));
    assert.equal(await resolveExecutable("missing", `${local}:/usr/bin`), null);
    assert.equal(await resolveExecutable("tool", "relative/dir"), null, "relative PATH entries are ignored");
    assert.equal(await resolveExecutable("./local/bin/tool", "", brew.root), join(local, "tool"));
  } finally {
    await brew.close();
  }
});

Deno.test("locateExecutable() finds a name on PATH first, then in ~/.local/bin", async () => {
  const home = await Deno.realPath(await Deno.makeTempDir({ prefix: "home-" }));
  try {
    assert.equal(await locateExecutable("mlx-openai-server", { path: "/nonexistent", home }), null);
    await Deno.mkdir(join(home, ".local", "bin"), { recursive: true });
    const local = join(home, ".local", "bin", "mlx-openai-server");
    await Deno.writeTextFile(local, "#!/bin/sh\n", { mode: 0o755 });
    assert.equal(await locateExecutable("mlx-openai-server", { path: "/nonexistent", home }), local);
    assert.equal(await locateExecutable("sh", { path: "/bin:/usr/bin", home }), "/bin/sh");
    assert.equal(
      await locateExecutable(join(home, "nope"), { path: "/bin", home }),
      null,
      "a path is not searched",
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
