import assert from "node:assert/strict";
import { cli } from "../helpers/cli.ts";
import { VERSION } from "../../lib/version.ts";

async function withHome(fn: (home: string) => Promise<void>) {
  const home = await Deno.makeTempDir({ prefix: "mlx-cli-" });
  try {
    await fn(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("--help lists every command and the exit codes; --version prints the version", async () => {
  await withHome(async (home) => {
    const help = await cli(["--help"], { home });
    assert.equal(help.code, 0);
    for (
      const command of [
        "serve",
        "status",
        "login",
        "logout",
        "create-admin",
        "install-service",
        "uninstall-service",
        "menubar",
      ]
    ) {
      assert.match(help.stdout, new RegExp(`^  ${command}\\s`, "m"), command);
    }
    assert.match(help.stdout, /Exit codes: 0 ok, 1 failure, 2 usage, 3 not reachable, 4 not signed in/);
    const version = await cli(["--version"], { home });
    assert.deepEqual([version.code, version.stdout], [0, `MLX Manager ${VERSION}\n`]);
  });
});

Deno.test("every command has its own --help", async () => {
  await withHome(async (home) => {
    const commands = [
      "serve",
      "status",
      "login",
      "logout",
      "create-admin",
      "install-service",
      "uninstall-service",
      "menubar",
    ];
    const results = await Promise.all(commands.map((c) => cli([c, "--help"], { home })));
    results.forEach((result, i) => {
      assert.equal(result.code, 0, commands[i]);
      assert.match(result.stdout, new RegExp(`^Usage: mlx-manager ${commands[i]}`), commands[i]);
    });
  });
});

Deno.test("unknown commands and options exit 2 with a pointer to the help", async () => {
  await withHome(async (home) => {
    const unknown = await cli(["frobnicate"], { home });
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, 'Error: Unknown command "frobnicate"\nRun "mlx-manager --help" for usage\n');
    const option = await cli(["status", "--colour"], { home });
    assert.equal(option.code, 2);
    assert.match(option.stderr, /Unknown option '--colour'\nRun "mlx-manager status --help" for usage/);
    const badUrl = await cli(["status", "--url", "ftp://x"], { home });
    assert.equal(badUrl.code, 2);
    assert.match(badUrl.stderr, /"ftp:\/\/x" is not an http\(s\) URL/);
    const badPort = await cli(["serve", "--port", "eighty"], { home });
    assert.equal(badPort.code, 2);
    assert.match(badPort.stderr, /Cannot read MLX_MANAGER_PORT: "eighty" is not a whole number/);
  });
});
