import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../lib/config.ts";

const base = { HOME: "/tmp/x", MLX_MANAGER_DATABASE_PATH: ":memory:" };

Deno.test("loadConfig() reads TZ as the manager's time zone (the system's by default) and refuses an unknown one", () => {
  assert.equal(loadConfig({ ...base, TZ: "Europe/Paris" }).timeZone, "Europe/Paris");
  assert.equal(loadConfig({ ...base, TZ: ":Asia/Tokyo" }).timeZone, "Asia/Tokyo");
  assert.equal(loadConfig(base).timeZone, Intl.DateTimeFormat().resolvedOptions().timeZone);
  assert.throws(
    () => loadConfig({ ...base, TZ: "Mars/Olympus" }),
    (e: unknown) => e instanceof ConfigError && e.variable === "TZ",
  );
});

Deno.test("loadConfig() reads MLX_MANAGER_METRICS_TOKEN, refusing a short one", () => {
  assert.equal(loadConfig(base).metricsToken, null);
  assert.equal(
    loadConfig({ ...base, MLX_MANAGER_METRICS_TOKEN: "0123456789abcdef" }).metricsToken,
    "0123456789abcdef",
  );
  assert.throws(
    () => loadConfig({ ...base, MLX_MANAGER_METRICS_TOKEN: "short" }),
    (e: unknown) => e instanceof ConfigError && e.variable === "MLX_MANAGER_METRICS_TOKEN",
  );
});
