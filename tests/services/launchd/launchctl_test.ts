import assert from "node:assert/strict";
import { bootoutArgs, bootstrapArgs, parsePrint, printArgs } from "../../../services/launchd/launchctl.ts";
import { fixture } from "../../helpers/recorded_runner.ts";

Deno.test("launchctl is driven with bootstrap, bootout and print in the user's GUI domain", () => {
  const plist = "/Users/ada/Library/LaunchAgents/com.mlx-manager.profile-3.plist";
  assert.deepEqual(bootstrapArgs(501, plist), ["bootstrap", "gui/501", plist]);
  assert.deepEqual(bootoutArgs(501, "com.mlx-manager.profile-3"), [
    "bootout",
    "gui/501/com.mlx-manager.profile-3",
  ]);
  assert.deepEqual(printArgs(501, "com.mlx-manager.profile-3"), [
    "print",
    "gui/501/com.mlx-manager.profile-3",
  ]);
});

Deno.test("launchctl print of a running job gives its state and pid, not values from nested blocks", () => {
  assert.deepEqual(parsePrint(fixture("launchctl_print_running.txt")), {
    state: "running",
    pid: 48213,
    lastExitCode: null,
    lastSignal: null,
    runs: 1,
    program: "/opt/homebrew/bin/mlx-openai-server",
    path: "/Users/ada/Library/LaunchAgents/com.mlx-manager.profile-3.plist",
  });
});

Deno.test("launchctl print of an exited job gives its last exit code", () => {
  const job = parsePrint(fixture("launchctl_print_exited.txt"));
  assert.equal(job.state, "not running");
  assert.equal(job.pid, null);
  assert.equal(job.lastExitCode, 1);
  assert.equal(job.runs, 4);
});

Deno.test("launchctl print of a killed job gives the signal", () => {
  const job = parsePrint(fixture("launchctl_print_signaled.txt"));
  assert.equal(job.state, "not running");
  assert.equal(job.lastExitCode, null);
  assert.equal(job.lastSignal, "Killed: 9");
});

Deno.test("unreadable launchctl output gives empty fields", () => {
  assert.deepEqual(parsePrint(""), {
    state: null,
    pid: null,
    lastExitCode: null,
    lastSignal: null,
    runs: null,
    program: null,
    path: null,
  });
});
