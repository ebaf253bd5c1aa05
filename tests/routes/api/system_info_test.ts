import assert from "node:assert/strict";
import { join } from "node:path";
import { listen, testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser } from "../../helpers/auth.ts";
import { sseBlocks } from "../../helpers/sse.ts";
import { macRunner } from "../../helpers/recorded_runner.ts";

const FAKE_SERVER = join(import.meta.dirname!, "..", "..", "fixtures", "bin", "mlx-openai-server");

function recordedMac() {
  return testRuntime({
    env: { MLX_MANAGER_MLX_SERVER: FAKE_SERVER },
    platform: {
      os: "darwin",
      uid: 501,
      kernelRelease: "24.3.0",
      runner: macRunner({ [`${FAKE_SERVER} --version`]: "🚀 Version: 1.5.1\n" }),
    },
  });
}

Deno.test("system memory and info need a session", async () => {
  const rt = await testRuntime();
  for (const path of ["/api/system/memory", "/api/system/info"]) {
    const res = await rt.app.request(path);
    assert.equal(res.status, 401);
    assert.equal((await res.json()).detail, "Not authenticated");
  }
  await rt.close();
});

Deno.test("GET /api/system/memory on a Mac answers its totals in GB plus swap, pressure and GPU", async () => {
  const rt = await recordedMac();
  const { user } = await adminAndUser(rt);
  const res = await rt.app.request("/api/system/memory", { headers: user.headers });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /application\/json/);
  const body = await res.json();
  assert.deepEqual(
    [body.total_gb, body.used_gb, body.available_gb, body.percent_used, body.mlx_recommended_gb],
    [64, 41.6, 22.4, 65, 51.2],
  );
  assert.equal(body.pressure, "normal");
  assert.equal(body.swap_used_bytes, 1932787712);
  assert.deepEqual(body.gpu, {
    utilization_percent: 87,
    in_use_bytes: 19327352832,
    allocated_bytes: 33285996544,
  });
  await rt.close();
});

Deno.test("GET /api/system/info on a Mac answers the product version, chip and installed versions", async () => {
  const rt = await recordedMac();
  const { user } = await adminAndUser(rt);
  const res = await rt.app.request("/api/system/info", { headers: user.headers });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.os_version, "macOS 15.3.1 (24D70)");
  assert.equal(body.chip, "Apple M3 Max");
  assert.equal(body.memory_gb, 64);
  assert.equal(body.mlx_openai_server_version, "1.5.1");
  assert.equal(body.deno_version, Deno.version.deno);
  assert.equal(body.launchd_available, true);
  for (const key of ["python_version", "mlx_version"]) assert.ok(key in body, `${key} is present`);
  await rt.close();
});

Deno.test("on this Linux machine memory and info are real and sensible", async () => {
  const rt = await testRuntime({ env: { MLX_MANAGER_MLX_SERVER: FAKE_SERVER } });
  const { user } = await adminAndUser(rt);
  const memory = await (await rt.app.request("/api/system/memory", { headers: user.headers })).json();
  assert.ok(memory.total_bytes > 0);
  assert.equal(memory.used_bytes + memory.available_bytes, memory.total_bytes);
  assert.ok(memory.percent_used > 0 && memory.percent_used <= 100);
  assert.equal(memory.gpu, null);
  const info = await (await rt.app.request("/api/system/info", { headers: user.headers })).json();
  assert.equal(info.platform, Deno.build.os);
  assert.equal(info.launchd_available, Deno.build.os === "darwin");
  assert.ok(info.os_version.length > 0);
  assert.ok(info.cpu_cores >= 1);
  assert.equal(info.mlx_openai_server_version, "1.5.1", "read by running the fake server");
  await rt.close();
});

Deno.test("connected clients receive system.metrics events from the sampler", async () => {
  const rt = await recordedMac();
  const { user } = await adminAndUser(rt);
  const server = listen(rt);
  const res = await fetch(`${server.url}/api/events`, { headers: user.headers });
  const blocks = sseBlocks(res);
  assert.equal((await blocks.next()).value!.event, "hello");
  await rt.deps.metrics.tick();
  const event = (await blocks.next()).value!;
  assert.equal(event.event, "system.metrics");
  const data = JSON.parse(event.data!);
  assert.deepEqual(data.memory, { total: 64 * 1024 ** 3, used: 2726115 * 16384, percent: 65 });
  assert.deepEqual(data.gpu, { utilization: 87, memoryInUse: 19327352832 });
  assert.equal(data.pressure, "normal");
  await blocks.return(undefined);
  await server.stop();
  await rt.close();
});
