import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../lib/config.ts";

Deno.test("loadConfig() reads MLX_MANAGER_RESPONSES_DAYS (default 30, at least 1)", () => {
  assert.equal(loadConfig({ HOME: "/tmp/x" }).responsesDays, 30);
  assert.equal(loadConfig({ HOME: "/tmp/x", MLX_MANAGER_RESPONSES_DAYS: "7" }).responsesDays, 7);
  assert.throws(() => loadConfig({ HOME: "/tmp/x", MLX_MANAGER_RESPONSES_DAYS: "0" }), ConfigError);
  assert.throws(() => loadConfig({ HOME: "/tmp/x", MLX_MANAGER_RESPONSES_DAYS: "soon" }), ConfigError);
});
