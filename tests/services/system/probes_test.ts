import assert from "node:assert/strict";
import { createProbe } from "../../../services/system/probes.ts";
import { fixture, macRunner, RecordedRunner } from "../../helpers/recorded_runner.ts";

const GIB = 1024 ** 3;

Deno.test("on macOS memory comes from hw.memsize, vm_stat, sysctl and ioreg", async () => {
  const runner = macRunner();
  const probe = createProbe({ os: "darwin", runner, kernelRelease: "24.3.0" });
  const sample = await probe.memory();
  assert.equal(sample.total, 64 * GIB);
  assert.equal(sample.used, 2726115 * 16384);
  assert.equal(sample.available, 64 * GIB - 2726115 * 16384);
  assert.deepEqual(sample.swap, { total: 3 * GIB, used: 1932787712 });
  assert.equal(sample.pressure, "normal");
  assert.equal(sample.freePercent, 36);
  assert.equal(sample.gpu?.utilization, 87);
  assert.equal(sample.gpu?.memoryInUse, 19327352832);
  // The free percentage came from sysctl, so memory_pressure was not needed.
  assert.deepEqual(runner.commands("memory_pressure"), []);
});

Deno.test("on macOS the physical memory size is read once", async () => {
  const runner = macRunner();
  const probe = createProbe({ os: "darwin", runner, kernelRelease: "24.3.0" });
  await probe.memory();
  await probe.memory();
  assert.equal(runner.commands().filter((c) => c === "sysctl hw.memsize hw.ncpu").length, 1);
  assert.equal(runner.commands("vm_stat").length, 2);
});

Deno.test("without kern.memorystatus_level the free percentage comes from memory_pressure", async () => {
  const runner = macRunner({
    "sysctl -i vm.swapusage kern.memorystatus_vm_pressure_level kern.memorystatus_level": fixture(
      "sysctl_vm_critical.txt",
    ),
  });
  const sample = await createProbe({ os: "darwin", runner }).memory();
  assert.equal(sample.pressure, "critical");
  assert.equal(sample.freePercent, 36);
  assert.deepEqual(runner.commands("memory_pressure"), ["memory_pressure"]);
});

Deno.test("on macOS failing commands leave their fields empty instead of failing the reading", async () => {
  const failed = { code: 1, stdout: "", stderr: "boom" };
  const runner = new RecordedRunner({
    vm_stat: failed,
    ioreg: failed,
    sysctl: failed,
    memory_pressure: failed,
  });
  const sample = await createProbe({ os: "darwin", runner }).memory();
  assert.ok(sample.total > 0, "falls back to the runtime's total");
  assert.equal(sample.used + sample.available, sample.total);
  assert.equal(sample.gpu, null);
  assert.equal(sample.swap, null);
  assert.equal(sample.pressure, null);
});

Deno.test("on macOS the host is the product version, chip, cores and GPU cores", async () => {
  const probe = createProbe({ os: "darwin", runner: macRunner(), kernelRelease: "24.3.0" });
  assert.deepEqual(await probe.host(), {
    osVersion: "macOS 15.3.1 (24D70)",
    kernel: "Darwin 24.3.0",
    chip: "Apple M3 Max",
    cpuCores: 16,
    gpuCores: 40,
    memoryBytes: 64 * GIB,
  });
});

Deno.test("on Linux memory and host come from /proc and /etc/os-release", async () => {
  const files: Record<string, string> = {
    "/proc/meminfo":
      "MemTotal: 8388608 kB\nMemAvailable: 2097152 kB\nSwapTotal: 1048576 kB\nSwapFree: 524288 kB\n",
    "/etc/os-release": 'PRETTY_NAME="Ubuntu 24.04.1 LTS"\n',
  };
  const probe = createProbe({
    os: "linux",
    runner: macRunner(),
    kernelRelease: "6.8.0-45-generic",
    readTextFile: (path) =>
      files[path] !== undefined ? Promise.resolve(files[path]) : Promise.reject(new Error()),
  });
  assert.deepEqual(await probe.memory(), {
    total: 8 * GIB,
    used: 6 * GIB,
    available: 2 * GIB,
    swap: { total: GIB, used: GIB / 2 },
    pressure: null,
    freePercent: null,
    gpu: null,
  });
  const host = await probe.host();
  assert.equal(host.osVersion, "Ubuntu 24.04.1 LTS");
  assert.equal(host.kernel, "Linux 6.8.0-45-generic");
  assert.equal(host.memoryBytes, 8 * GIB);
  assert.ok(host.cpuCores >= 1);
});

Deno.test("on this machine the probe reads real, consistent figures", async () => {
  const probe = createProbe({ os: Deno.build.os, runner: macRunner() });
  const sample = await probe.memory();
  assert.ok(sample.total > 0);
  assert.ok(sample.used > 0 && sample.used <= sample.total);
  assert.equal(sample.used + sample.available, sample.total);
  const host = await probe.host();
  assert.ok(host.osVersion.length > 0);
  assert.ok(host.chip.length > 0);
});
