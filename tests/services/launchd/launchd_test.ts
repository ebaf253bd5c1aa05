import assert from "node:assert/strict";
import { join } from "node:path";
import { Launchd } from "../../../services/launchd/mod.ts";
import type { LaunchdJob } from "../../../services/launchd/job.ts";
import { AppError } from "../../../lib/errors.ts";
import { fixture, RecordedRunner } from "../../helpers/recorded_runner.ts";
import { parsePlistStrict } from "../../helpers/plist_parser.ts";

const LABEL = "com.mlx-manager.profile-3";
const MISSING = { code: 113, stdout: "", stderr: fixture("launchctl_print_missing.stderr.txt") };

async function setup(
  answers: ConstructorParameters<typeof RecordedRunner>[0] = {},
  os: "darwin" | "linux" = "darwin",
) {
  const home = await Deno.makeTempDir({ prefix: "launchd-home-" });
  const runner = new RecordedRunner({ launchctl: "", ...answers });
  const launchd = new Launchd({ os, runner, uid: 501, home, retryDelayMs: 1 });
  const job: LaunchdJob = {
    label: LABEL,
    program: "/opt/homebrew/bin/mlx-openai-server",
    args: ["launch", "--port", "10240"],
    env: { PYTHONUNBUFFERED: "1" },
    runAtLoad: true,
    logDir: join(home, ".mlx-manager", "logs"),
  };
  return { home, runner, launchd, job, close: () => Deno.remove(home, { recursive: true }) };
}

Deno.test("Launchd.install() writes the plist into LaunchAgents, unloads any old job, then bootstraps it", async () => {
  const t = await setup();
  try {
    const result = await t.launchd.install(t.job);
    const path = join(t.home, "Library", "LaunchAgents", `${LABEL}.plist`);
    assert.deepEqual(result, { label: LABEL, plist_path: path });
    const plist = parsePlistStrict(await Deno.readTextFile(path)) as Record<string, unknown>;
    assert.equal(plist.Label, LABEL);
    assert.ok((await Deno.stat(t.job.logDir)).isDirectory, "the log folder exists before launchd opens it");
    assert.deepEqual(t.runner.commands(), [
      `launchctl bootout gui/501/${LABEL}`,
      `launchctl bootstrap gui/501 ${path}`,
    ]);
    const leftovers = [...Deno.readDirSync(join(t.home, "Library", "LaunchAgents"))].map((e) => e.name);
    assert.deepEqual(leftovers, [`${LABEL}.plist`]);
  } finally {
    await t.close();
  }
});

Deno.test("Launchd.install() retries once a bootstrap that fails right after bootout", async () => {
  const t = await setup();
  let attempts = 0;
  t.runner.answers[`launchctl bootstrap gui/501 ${t.launchd.plistPath(LABEL)}`] = () =>
    ++attempts === 1 ? { code: 5, stdout: "", stderr: "Bootstrap failed: 5: Input/output error" } : "";
  try {
    await t.launchd.install(t.job);
    assert.equal(attempts, 2);
  } finally {
    await t.close();
  }
});

Deno.test("Launchd.install() says why it failed and leaves no plist behind", async () => {
  const t = await setup();
  t.runner.answers[`launchctl bootstrap gui/501 ${t.launchd.plistPath(LABEL)}`] = {
    code: 5,
    stdout: "",
    stderr: "Bootstrap failed: 5: Input/output error\n",
  };
  try {
    const error = await t.launchd.install(t.job).catch((e) => e);
    assert.ok(error instanceof AppError);
    assert.equal(error.code, "internal");
    assert.equal(error.reason, "launchctl_failed");
    assert.equal(error.message, `launchctl could not load ${LABEL}: Bootstrap failed: 5: Input/output error`);
    assert.equal(await Deno.stat(t.launchd.plistPath(LABEL)).catch(() => null), null);
  } finally {
    await t.close();
  }
});

Deno.test("Launchd.uninstall() boots the job out and deletes its plist", async () => {
  const t = await setup();
  try {
    await t.launchd.install(t.job);
    t.runner.calls.length = 0;
    assert.deepEqual(await t.launchd.uninstall(LABEL), { removed: true });
    assert.deepEqual(t.runner.commands(), [`launchctl bootout gui/501/${LABEL}`]);
    assert.equal(await Deno.stat(t.launchd.plistPath(LABEL)).catch(() => null), null);
    t.runner.answers[`launchctl bootout gui/501/${LABEL}`] = {
      code: 3,
      stdout: "",
      stderr: "Boot-out failed: 3: No such process",
    };
    assert.deepEqual(await t.launchd.uninstall(LABEL), { removed: false });
  } finally {
    await t.close();
  }
});

Deno.test("Launchd.status() reads state, pid and exit code from launchctl print", async () => {
  const t = await setup();
  try {
    await t.launchd.install(t.job);
    t.runner.answers[`launchctl print gui/501/${LABEL}`] = fixture("launchctl_print_running.txt");
    assert.deepEqual(await t.launchd.status(LABEL), {
      label: LABEL,
      plist_path: t.launchd.plistPath(LABEL),
      installed: true,
      loaded: true,
      running: true,
      pid: 48213,
      state: "running",
      last_exit_code: null,
      last_signal: null,
    });
    t.runner.answers[`launchctl print gui/501/${LABEL}`] = fixture("launchctl_print_exited.txt");
    const exited = await t.launchd.status(LABEL);
    assert.equal(exited.running, false);
    assert.equal(exited.last_exit_code, 1);
  } finally {
    await t.close();
  }
});

Deno.test("Launchd.status() of a job launchd does not know is not loaded, installed or not", async () => {
  const t = await setup();
  t.runner.answers[`launchctl print gui/501/${LABEL}`] = MISSING;
  try {
    const status = await t.launchd.status(LABEL);
    assert.equal(status.installed, false);
    assert.equal(status.loaded, false);
    assert.equal(status.running, false);
    assert.equal(status.pid, null);
    t.runner.answers[`launchctl print gui/501/${LABEL}`] = {
      code: 1,
      stdout: "",
      stderr: "Unexpected failure",
    };
    await assert.rejects(t.launchd.status(LABEL), /launchctl could not read .*Unexpected failure/);
  } finally {
    await t.close();
  }
});

Deno.test("Launchd refuses every operation off macOS as not_implemented, but the plist preview still renders", async () => {
  const t = await setup({}, "linux");
  try {
    assert.equal(t.launchd.available, false);
    for (const attempt of [t.launchd.install(t.job), t.launchd.uninstall(LABEL), t.launchd.status(LABEL)]) {
      const error = await attempt.catch((e) => e);
      assert.ok(error instanceof AppError);
      assert.equal(error.code, "not_implemented");
      assert.equal(error.message, "launchd services are macOS-only: this manager runs on linux");
    }
    assert.deepEqual(t.runner.calls, []);
    assert.match(t.launchd.plist(t.job), /<key>Label<\/key>/);
  } finally {
    await t.close();
  }
});
