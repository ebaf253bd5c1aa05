import assert from "node:assert/strict";
import { join } from "node:path";
import { profileJob } from "../../../services/launchd/profile_job.ts";
import { buildPlist } from "../../../services/launchd/job.ts";
import { loadConfig } from "../../../lib/config.ts";
import { parsePlistStrict } from "../../helpers/plist_parser.ts";

const COMMAND = {
  executable: "/opt/homebrew/bin/mlx-openai-server",
  args: ["launch", "--model-path", "mlx-community/Qwen3-4B-4bit", "--port", "10240", "--no-log-file"],
  env: { PYTHONUNBUFFERED: "1", HF_HOME: "/Users/ada/.cache/huggingface" },
};

Deno.test("a profile's job runs the supervisor's command, at login only with auto-start", async () => {
  const config = loadConfig({ HOME: "/Users/ada", PATH: "/opt/homebrew/bin:/usr/bin" });
  const job = await profileJob({ id: 3, auto_start: true }, COMMAND, config);
  const plist = parsePlistStrict(buildPlist(job)) as Record<string, unknown>;
  assert.equal(plist.Label, "com.mlx-manager.profile-3");
  assert.deepEqual(plist.ProgramArguments, [COMMAND.executable, ...COMMAND.args]);
  assert.equal(plist.RunAtLoad, true);
  assert.deepEqual(plist.EnvironmentVariables, {
    HOME: "/Users/ada",
    PATH: "/opt/homebrew/bin:/usr/bin:/usr/local/bin:/bin:/usr/sbin:/sbin",
    PYTHONUNBUFFERED: "1",
    HF_HOME: "/Users/ada/.cache/huggingface",
  });
  // The supervisor's log of the profile, so the dashboard's log panel shows launchd's output.
  assert.equal(plist.StandardOutPath, "/Users/ada/.mlx-manager/logs/server-3.log");
  assert.equal(plist.WorkingDirectory, "/Users/ada/.mlx-manager");
  const manual = await profileJob({ id: 3, auto_start: false }, COMMAND, config);
  assert.equal(manual.runAtLoad, false);
});

Deno.test("a profile's job reaches a Homebrew executable through its stable link", async () => {
  const root = await Deno.realPath(await Deno.makeTempDir());
  try {
    const cellar = join(root, "Cellar", "mlx-openai-server", "1.5.1", "bin");
    await Deno.mkdir(cellar, { recursive: true });
    await Deno.mkdir(join(root, "bin"));
    await Deno.writeTextFile(join(cellar, "mlx-openai-server"), "#!/bin/sh\n", { mode: 0o755 });
    await Deno.symlink(join(cellar, "mlx-openai-server"), join(root, "bin", "mlx-openai-server"));
    const job = await profileJob(
      { id: 1, auto_start: false },
      { ...COMMAND, executable: join(cellar, "mlx-openai-server") },
      loadConfig({ HOME: "/Users/ada" }),
    );
    assert.equal(job.program, join(root, "bin", "mlx-openai-server"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
