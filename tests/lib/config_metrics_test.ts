import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../lib/config.ts";

Deno.test("loadConfig() reads the memory share, the metrics interval and PATH", () => {
  const defaults = loadConfig({ HOME: "/h" });
  assert.equal(defaults.maxMemoryPercent, 80);
  assert.equal(defaults.metricsInterval, 5);
  assert.equal(defaults.path, "");
  const config = loadConfig({
    HOME: "/h",
    MLX_MANAGER_MAX_MEMORY_PERCENT: "60",
    MLX_MANAGER_METRICS_INTERVAL: "2.5",
    PATH: "/opt/homebrew/bin:/usr/bin",
  });
  assert.equal(config.maxMemoryPercent, 60);
  assert.equal(config.metricsInterval, 2.5);
  assert.equal(config.path, "/opt/homebrew/bin:/usr/bin");
});

Deno.test("loadConfig() refuses a memory share outside 1–100 and a non-positive interval", () => {
  assert.throws(
    () => loadConfig({ MLX_MANAGER_MAX_MEMORY_PERCENT: "120" }),
    (e) =>
      e instanceof ConfigError &&
      e.message === "Cannot read MLX_MANAGER_MAX_MEMORY_PERCENT: 120 is outside 1–100",
  );
  assert.throws(
    () => loadConfig({ MLX_MANAGER_METRICS_INTERVAL: "0" }),
    (e) => e instanceof ConfigError && /MLX_MANAGER_METRICS_INTERVAL/.test(e.message),
  );
});
