import assert from "node:assert/strict";
import { join } from "node:path";
import {
  isCompiled,
  managerJob,
  selfCommand,
  serviceEnvironment,
  servicePath,
} from "../../../services/launchd/manager_job.ts";
import { loadConfig } from "../../../lib/config.ts";

Deno.test("a compiled binary runs itself; deno runs main.ts with the project's config", async () => {
  assert.equal(isCompiled("/usr/local/bin/mlx-manager"), true);
  assert.equal(isCompiled("/usr/bin/deno"), false);
  assert.equal(isCompiled("C:\\deno\\deno.exe"), false);
  assert.deepEqual(await selfCommand("/usr/local/bin/mlx-manager", "/src"), {
    program: "/usr/local/bin/mlx-manager",
    args: [],
  });
  assert.deepEqual(await selfCommand("/usr/bin/deno", "/src/mlx-manager"), {
    program: "/usr/bin/deno",
    args: ["run", "-A", "--config", "/src/mlx-manager/deno.json", "/src/mlx-manager/main.ts"],
  });
});

Deno.test("a Homebrew deno is reached through its stable link, not the Cellar", async () => {
  const root = await Deno.realPath(await Deno.makeTempDir());
  try {
    const cellar = join(root, "Cellar", "deno", "2.9.6", "bin");
    await Deno.mkdir(cellar, { recursive: true });
    await Deno.mkdir(join(root, "bin"));
    await Deno.writeTextFile(join(cellar, "deno"), "#!/bin/sh\n", { mode: 0o755 });
    await Deno.symlink(join(cellar, "deno"), join(root, "bin", "deno"));
    assert.equal((await selfCommand(join(cellar, "deno"), "/src")).program, join(root, "bin", "deno"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("the service keeps the installing shell's PATH and adds the system folders once", () => {
  assert.equal(
    servicePath("/Users/ada/.local/bin:/usr/bin:relative"),
    "/Users/ada/.local/bin:/usr/bin:/opt/homebrew/bin:/usr/local/bin:/bin:/usr/sbin:/sbin",
  );
});

Deno.test("the service's environment carries the settings that locate data, port and models, never secrets", () => {
  const env = serviceEnvironment(loadConfig({
    HOME: "/Users/ada",
    MLX_MANAGER_PORT: "9000",
    MLX_MANAGER_DATABASE_PATH: "/Volumes/fast/mlx.db",
    MLX_MANAGER_JWT_SECRET: "x".repeat(40),
    HF_TOKEN: "hf_secret",
    HF_HOME: "/Volumes/models/hf",
    MLX_MANAGER_OFFLINE: "1",
  }));
  assert.deepEqual(env, {
    HOME: "/Users/ada",
    PATH: "/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
    MLX_MANAGER_HOST: "127.0.0.1",
    MLX_MANAGER_PORT: "9000",
    MLX_MANAGER_DATA_DIR: "/Users/ada/.mlx-manager",
    MLX_MANAGER_LOG_LEVEL: "info",
    MLX_MANAGER_DATABASE_PATH: "/Volumes/fast/mlx.db",
    HF_HOME: "/Volumes/models/hf",
    HF_HUB_CACHE: "/Volumes/models/hf/hub",
    MLX_MANAGER_OFFLINE: "true",
  });
});

Deno.test("the manager job runs serve at login from the data dir, logging there", () => {
  const job = managerJob(loadConfig({ HOME: "/Users/ada" }), {
    program: "/usr/local/bin/mlx-manager",
    args: [],
  });
  assert.equal(job.label, "com.mlx-manager.app");
  assert.deepEqual([job.program, ...job.args], ["/usr/local/bin/mlx-manager", "serve"]);
  assert.equal(job.runAtLoad, true);
  assert.equal(job.logDir, "/Users/ada/.mlx-manager/logs");
  assert.equal(job.workingDirectory, "/Users/ada/.mlx-manager");
});
