import assert from "node:assert/strict";
import { compileArgs } from "../../tasks/compile.ts";

Deno.test("the compile arguments embed the built assets and static files into one binary", () => {
  const args = compileArgs(null, "dist/mlx-manager");
  assert.equal(args[0], "compile");
  assert.ok(args.includes("-A"), "the binary needs every permission the server uses");
  for (const folder of ["_build", "static"]) {
    const at = args.indexOf(folder);
    assert.ok(at > 0 && args[at - 1] === "--include", `--include ${folder}`);
  }
  const cli = args.indexOf("cli/mod.ts");
  assert.ok(
    cli > 0 && args[cli - 1] === "--include",
    "main.ts loads the command line by a computed specifier",
  );
  assert.deepEqual(args.slice(-3), ["--output", "dist/mlx-manager", "main.ts"]);
  assert.ok(!args.includes("--target"), "no target: this machine's");
});

Deno.test("a target is passed through for cross-compiling", () => {
  const args = compileArgs("aarch64-apple-darwin", "dist/mlx-manager-aarch64-apple-darwin");
  const at = args.indexOf("--target");
  assert.equal(args[at + 1], "aarch64-apple-darwin");
  assert.ok(at < args.indexOf("main.ts"), "options come before the entry point");
});
