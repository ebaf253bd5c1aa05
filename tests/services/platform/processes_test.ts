import assert from "node:assert/strict";
import {
  commandLine,
  parsePs,
  PS_SAMPLE_ARGS,
  sampleProcesses,
  treeUsage,
} from "../../../services/platform/processes.ts";
import { DenoCommandRunner } from "../../../services/platform/runner.ts";
import { RecordedRunner } from "../../helpers/recorded_runner.ts";

const PS = `    1     0 13028  0.4 Ss
  100     1  2048 50.0 Sl
  101   100  1024 25.5 R
  102   101   512  1.0 S
  103   100     0  0.0 Z
  200     1  4096  3.0 S
`;

Deno.test("parsePs() reads pid, parent, memory and CPU, skipping zombies", () => {
  const rows = parsePs(PS);
  assert.equal(rows.length, 5);
  assert.deepEqual(rows[1], { pid: 100, ppid: 1, rss: 2048 * 1024, cpu: 50 });
  assert.ok(!rows.some((r) => r.pid === 103));
  assert.deepEqual(parsePs("  7  1  10  1,5 S\n")[0].cpu, 1.5, "a comma decimal (some locales) is read");
});

Deno.test("treeUsage() sums a process and all its descendants, per root, and lists its direct children", () => {
  const usage = treeUsage(parsePs(PS), [100, 200, 999]);
  assert.deepEqual(usage.get(100), {
    cpuPercent: 76.5,
    rssBytes: (2048 + 1024 + 512) * 1024,
    processes: 3,
    children: [101],
  });
  assert.deepEqual(usage.get(200), { cpuPercent: 3, rssBytes: 4096 * 1024, processes: 1, children: [] });
  assert.equal(usage.has(999), false, "a process that is gone has no usage");
});

Deno.test("sampleProcesses() runs one ps in the C locale and parses its recorded output", async () => {
  const runner = new RecordedRunner({ [["ps", ...PS_SAMPLE_ARGS].join(" ")]: PS });
  const rows = await sampleProcesses(runner);
  assert.equal(rows.length, 5);
  assert.deepEqual(runner.commands(), [["ps", ...PS_SAMPLE_ARGS].join(" ")]);
  assert.deepEqual(runner.calls[0].options?.env, { LC_ALL: "C" });
  assert.deepEqual(await sampleProcesses(new RecordedRunner({})), [], "a failing ps lists nothing");
});

Deno.test("sampleProcesses() lists this very process through the real runner", async () => {
  const rows = await sampleProcesses(new DenoCommandRunner());
  const me = rows.find((r) => r.pid === Deno.pid);
  assert.ok(me && me.rss > 0);
});

Deno.test("commandLine() reads one process's arguments, null when it is gone", async () => {
  const recorded = new RecordedRunner({
    "ps -ww -o args= -p 42": "/venv/bin/python3 /venv/bin/mlx-openai-server launch --port 1\n",
  });
  assert.equal(
    await commandLine(recorded, 42),
    "/venv/bin/python3 /venv/bin/mlx-openai-server launch --port 1",
  );
  assert.equal(await commandLine(recorded, 43), null);
  const real = new DenoCommandRunner();
  assert.match((await commandLine(real, Deno.pid)) ?? "", /deno/);
  assert.equal(await commandLine(real, 999_999_999), null);
});
