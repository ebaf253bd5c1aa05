import assert from "node:assert/strict";
import { join } from "node:path";
import { cli } from "../helpers/cli.ts";
import { RecordedRunner } from "../helpers/recorded_runner.ts";
import { parsePlistStrict } from "../helpers/plist_parser.ts";
import { installManagerService, uninstallManagerService } from "../../cli/service.ts";
import { Launchd } from "../../services/launchd/mod.ts";
import { loadConfig } from "../../lib/config.ts";
import { ROOT } from "../../lib/paths.ts";

Deno.test("install-service --print shows the LaunchAgent that runs this program's serve at login", async () => {
  const home = await Deno.makeTempDir();
  try {
    const result = await cli(["install-service", "--print", "--port", "9001"], {
      home,
      env: { PATH: "/opt/homebrew/bin:/usr/bin", MLX_MANAGER_MLX_SERVER: "/opt/mlx/bin/mlx-openai-server" },
    });
    assert.equal(result.code, 0, result.stderr);
    const plist = parsePlistStrict(result.stdout) as Record<string, unknown>;
    assert.equal(plist.Label, "com.mlx-manager.app");
    assert.deepEqual(plist.ProgramArguments, [
      Deno.execPath(),
      "run",
      "-A",
      "--config",
      join(ROOT, "deno.json"),
      join(ROOT, "main.ts"),
      "serve",
    ]);
    assert.equal(plist.RunAtLoad, true);
    assert.deepEqual(plist.KeepAlive, { SuccessfulExit: false });
    assert.equal(plist.WorkingDirectory, home);
    assert.equal(plist.StandardOutPath, join(home, "logs", "com.mlx-manager.app.log"));
    const env = plist.EnvironmentVariables as Record<string, string>;
    assert.equal(env.MLX_MANAGER_PORT, "9001");
    assert.equal(env.MLX_MANAGER_HOST, "127.0.0.1");
    assert.equal(env.MLX_MANAGER_DATA_DIR, home);
    assert.equal(env.MLX_MANAGER_MLX_SERVER, "/opt/mlx/bin/mlx-openai-server");
    assert.equal(env.HOME, home);
    assert.equal(env.PATH, "/opt/homebrew/bin:/usr/bin:/usr/local/bin:/bin:/usr/sbin:/sbin");
    assert.ok(!("MLX_MANAGER_JWT_SECRET" in env) && !("HF_TOKEN" in env), "no secrets in the plist");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("install-service and uninstall-service say launchd is macOS-only elsewhere, with exit 1", async () => {
  if (Deno.build.os === "darwin") return; // This machine is a Mac: the in-process tests below cover it.
  const home = await Deno.makeTempDir();
  try {
    for (const command of ["install-service", "uninstall-service"]) {
      const result = await cli([command], { home });
      assert.equal(result.code, 1, command);
      assert.match(
        result.stderr,
        new RegExp(`^Error: ${command} needs macOS, where MLX Manager runs as a LaunchAgent`),
      );
    }
    assert.equal(await Deno.stat(join(home, "Library")).catch(() => null), null, "nothing written");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("on a Mac install-service writes the agent and bootstraps it; uninstall-service boots it out", async () => {
  const home = await Deno.makeTempDir();
  try {
    const runner = new RecordedRunner({ launchctl: "" });
    const context = {
      config: loadConfig({ HOME: home, MLX_MANAGER_PORT: "9002", PATH: "/usr/bin" }),
      launchd: new Launchd({ os: "darwin", runner, uid: 501, home }),
      self: { program: "/usr/local/bin/mlx-manager", args: [] },
    };
    const plistPath = join(home, "Library", "LaunchAgents", "com.mlx-manager.app.plist");
    assert.deepEqual(await installManagerService(context), [
      "Installed com.mlx-manager.app: MLX Manager starts at login and now runs on http://127.0.0.1:9002",
      `Plist: ${plistPath}`,
      `Logs: ${join(home, ".mlx-manager", "logs", "com.mlx-manager.app.log")}`,
    ]);
    const plist = parsePlistStrict(await Deno.readTextFile(plistPath)) as Record<string, unknown>;
    assert.deepEqual(plist.ProgramArguments, ["/usr/local/bin/mlx-manager", "serve"]);
    assert.deepEqual(runner.commands(), [
      "launchctl bootout gui/501/com.mlx-manager.app",
      `launchctl bootstrap gui/501 ${plistPath}`,
    ]);
    assert.deepEqual(await uninstallManagerService(context), [
      "Removed com.mlx-manager.app: MLX Manager no longer starts at login",
    ]);
    assert.equal(await Deno.stat(plistPath).catch(() => null), null);
    runner.answers.launchctl = { code: 3, stdout: "", stderr: "Boot-out failed: 3: No such process" };
    assert.deepEqual(await uninstallManagerService(context), ["MLX Manager was not installed as a service"]);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("a launchctl failure during install-service is reported as the command's failure", async () => {
  const home = await Deno.makeTempDir();
  try {
    const runner = new RecordedRunner({ launchctl: { code: 5, stdout: "", stderr: "Bootstrap failed: 5" } });
    const context = {
      config: loadConfig({ HOME: home }),
      launchd: new Launchd({ os: "darwin", runner, uid: 501, home, retryDelayMs: 1 }),
      self: { program: "/usr/local/bin/mlx-manager", args: [] },
    };
    await assert.rejects(
      installManagerService(context),
      (e: Error & { code?: number }) =>
        e.message === "launchctl could not load com.mlx-manager.app: Bootstrap failed: 5" && e.code === 1,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
