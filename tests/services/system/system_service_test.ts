import assert from "node:assert/strict";
import { join } from "node:path";
import { loadConfig } from "../../../lib/config.ts";
import { createProbe } from "../../../services/system/probes.ts";
import { SystemService, toMetricsEvent } from "../../../services/system/mod.ts";
import { macRunner } from "../../helpers/recorded_runner.ts";

const FAKE_SERVER = join(import.meta.dirname!, "..", "..", "fixtures", "bin", "mlx-openai-server");

function macService(env: Record<string, string> = {}, versionTtlMs?: number) {
  const runner = macRunner({ [`${FAKE_SERVER} --version`]: "✨ MLX Server v1.5.1 ✨\n🚀 Version: 1.5.1\n" });
  const config = loadConfig({ HOME: "/Users/ada", MLX_MANAGER_MLX_SERVER: FAKE_SERVER, ...env });
  const probe = createProbe({ os: "darwin", runner, kernelRelease: "24.3.0" });
  return { runner, system: new SystemService({ config, probe, runner, os: "darwin", versionTtlMs }) };
}

Deno.test("memory has its totals in GB, plus bytes, swap, pressure and GPU", async () => {
  const { system } = macService();
  const memory = await system.memory();
  assert.equal(memory.total_gb, 64);
  assert.equal(memory.used_gb, 41.6);
  assert.equal(memory.available_gb, 22.4);
  assert.equal(memory.percent_used, 65);
  assert.equal(memory.mlx_recommended_gb, 51.2);
  assert.equal(memory.total_bytes, 64 * 1024 ** 3);
  assert.equal(memory.used_bytes + memory.available_bytes, memory.total_bytes);
  assert.equal(memory.swap_total_bytes, 3 * 1024 ** 3);
  assert.equal(memory.pressure, "normal");
  assert.equal(memory.free_percent, 36);
  assert.deepEqual(memory.gpu, {
    utilization_percent: 87,
    in_use_bytes: 19327352832,
    allocated_bytes: 33285996544,
  });
});

Deno.test("the recommended size follows MLX_MANAGER_MAX_MEMORY_PERCENT", async () => {
  const { system } = macService({ MLX_MANAGER_MAX_MEMORY_PERCENT: "50" });
  assert.equal((await system.memory()).mlx_recommended_gb, 32);
});

Deno.test("info reports the product version, chip, and the installed server's version and path", async () => {
  const { system } = macService();
  const info = await system.info();
  assert.equal(info.os_version, "macOS 15.3.1 (24D70)");
  assert.equal(info.kernel, "Darwin 24.3.0");
  assert.equal(info.chip, "Apple M3 Max");
  assert.equal(info.memory_gb, 64);
  assert.equal(info.cpu_cores, 16);
  assert.equal(info.gpu_cores, 40);
  assert.equal(info.mlx_openai_server_version, "1.5.1");
  assert.equal(info.mlx_openai_server_path, FAKE_SERVER);
  assert.equal(info.python_version, null, "the fake is a shell script, not a Python console script");
  assert.equal(info.deno_version, Deno.version.deno);
  assert.match(info.manager_version, /^\d+\.\d+\.\d+/);
  assert.equal(info.launchd_available, true);
});

Deno.test("the server's version is discovered once and cached", async () => {
  const { system, runner } = macService();
  await system.info();
  await system.info();
  assert.equal(runner.commands(FAKE_SERVER).length, 1);
  assert.equal(runner.commands("sw_vers").length, 1);
});

Deno.test("the cached server facts expire, so an upgrade is seen without a restart", async () => {
  const { system, runner } = macService({}, 0);
  await system.info();
  await system.info();
  assert.equal(runner.commands(FAKE_SERVER).length, 2);
});

Deno.test("a server that is not installed gives null versions", async () => {
  const { system, runner } = macService({
    MLX_MANAGER_MLX_SERVER: "mlx-openai-server",
    PATH: "/nonexistent",
  });
  const info = await system.info();
  assert.equal(info.mlx_openai_server_path, null);
  assert.equal(info.mlx_openai_server_version, null);
  assert.deepEqual(runner.commands(FAKE_SERVER), []);
});

Deno.test("a reading becomes a system.metrics event", () => {
  const event = toMetricsEvent({
    total: 1000,
    used: 250,
    available: 750,
    swap: null,
    pressure: "warn",
    freePercent: null,
    gpu: { utilization: 12, memoryInUse: 5, memoryAllocated: 9, cores: 10 },
  }, new Date("2026-01-01T00:00:00Z"));
  assert.deepEqual(event, {
    memory: { total: 1000, used: 250, percent: 25 },
    swap: undefined,
    pressure: "warn",
    gpu: { utilization: 12, memoryInUse: 5 },
    at: "2026-01-01T00:00:00.000Z",
  });
});
