import assert from "node:assert/strict";
import { ConfigError, isLoopbackHost, loadConfig } from "../../lib/config.ts";

Deno.test("loadConfig() allows MLX_MANAGER_GATEWAY_AUTH=none on loopback binds only", () => {
  assert.equal(loadConfig({ HOME: "/tmp/x" }).gatewayAuth, "key");
  assert.equal(loadConfig({ HOME: "/tmp/x", MLX_MANAGER_GATEWAY_AUTH: "none" }).gatewayAuth, "none");
  assert.equal(
    loadConfig({ HOME: "/tmp/x", MLX_MANAGER_GATEWAY_AUTH: "none", MLX_MANAGER_HOST: "::1" }).gatewayAuth,
    "none",
  );
  assert.throws(
    () => loadConfig({ HOME: "/tmp/x", MLX_MANAGER_GATEWAY_AUTH: "none", MLX_MANAGER_HOST: "0.0.0.0" }),
    (e: unknown) =>
      e instanceof ConfigError && e.variable === "MLX_MANAGER_GATEWAY_AUTH" && /loopback/.test(e.message),
  );
  assert.throws(() => loadConfig({ HOME: "/tmp/x", MLX_MANAGER_GATEWAY_AUTH: "open" }), ConfigError);
  assert.deepEqual(
    ["127.0.0.1", "127.1.2.3", "localhost", "::1", "0.0.0.0", "192.168.1.2", "::"].map(isLoopbackHost),
    [true, true, true, true, false, false, false],
  );
});

Deno.test("loadConfig() reads MLX_MANAGER_ACTIVITY_DAYS (default 30)", () => {
  assert.equal(loadConfig({ HOME: "/tmp/x" }).activityDays, 30);
  assert.equal(loadConfig({ HOME: "/tmp/x", MLX_MANAGER_ACTIVITY_DAYS: "7" }).activityDays, 7);
  assert.throws(() => loadConfig({ HOME: "/tmp/x", MLX_MANAGER_ACTIVITY_DAYS: "0" }), ConfigError);
});

Deno.test("loadConfig() reads MLX_MANAGER_UPSTREAM_CONNECT_TIMEOUT in seconds (default 10)", () => {
  assert.equal(loadConfig({ HOME: "/tmp/x" }).upstreamConnectTimeout, 10);
  assert.equal(
    loadConfig({ HOME: "/tmp/x", MLX_MANAGER_UPSTREAM_CONNECT_TIMEOUT: "2.5" }).upstreamConnectTimeout,
    2.5,
  );
  assert.throws(
    () => loadConfig({ HOME: "/tmp/x", MLX_MANAGER_UPSTREAM_CONNECT_TIMEOUT: "0" }),
    (e: unknown) => e instanceof ConfigError && e.variable === "MLX_MANAGER_UPSTREAM_CONNECT_TIMEOUT",
  );
});
