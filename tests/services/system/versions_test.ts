import assert from "node:assert/strict";
import { join } from "node:path";
import { DenoCommandRunner } from "../../../services/platform/runner.ts";
import { interpreterOf, probePython, probeServerVersion } from "../../../services/system/versions.ts";

const FAKE_SERVER = join(import.meta.dirname!, "..", "..", "fixtures", "bin", "mlx-openai-server");

Deno.test("the installed server's version comes from running it", async () => {
  const runner = new DenoCommandRunner();
  assert.equal(await probeServerVersion(runner, FAKE_SERVER), "1.5.1");
  assert.equal(await probeServerVersion(runner, "/nonexistent/mlx-openai-server"), null);
});

Deno.test("the runner reports a missing program as exit 127 and a slow one as a timeout", async () => {
  const runner = new DenoCommandRunner();
  assert.equal((await runner.run("/nonexistent/program", [])).code, 127);
  const slow = await runner.run("sleep", ["5"], { timeoutMs: 100 });
  assert.equal(slow.code, 124);
  const ok = await runner.run("sh", ["-c", "echo out; echo err >&2; exit 3"]);
  assert.deepEqual(ok, { code: 3, stdout: "out\n", stderr: "err\n" });
});

Deno.test("a console script's interpreter comes from its shebang or pip's exec wrapper", () => {
  assert.equal(
    interpreterOf("#!/Users/ada/.venv/bin/python3.12\nimport sys\n"),
    "/Users/ada/.venv/bin/python3.12",
  );
  assert.equal(
    interpreterOf(`#!/bin/sh\n'''exec' "/Users/ada/My Tools/venv/bin/python" "$0" "$@"\n' '''\n`),
    "/Users/ada/My Tools/venv/bin/python",
  );
  assert.equal(interpreterOf("#!/usr/bin/env python3\n"), null);
  assert.equal(interpreterOf("#!/bin/sh\nexec deno run x.ts\n"), null);
  assert.equal(interpreterOf("\u007fELF binary"), null);
});

Deno.test("Python, mlx and mlx-lm versions come from the server's own interpreter", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const python = join(dir, "python3.12");
    await Deno.writeTextFile(python, "#!/bin/sh\nprintf '3.12.8\\n0.25.2\\n\\n'\n", { mode: 0o755 });
    const script = join(dir, "mlx-openai-server");
    await Deno.writeTextFile(script, `#!${python}\nfrom app.cli import cli\n`, { mode: 0o755 });
    assert.deepEqual(await probePython(new DenoCommandRunner(), script), {
      python: "3.12.8",
      mlx: "0.25.2",
      mlxLm: null,
    });
    assert.deepEqual(await probePython(new DenoCommandRunner(), FAKE_SERVER), {
      python: null,
      mlx: null,
      mlxLm: null,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
