import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../../lib/config.ts";

Deno.test("loadConfig() fills every documented default", () => {
  const config = loadConfig({ HOME: "/home/ada" });
  assert.equal(config.port, 8080);
  assert.equal(config.host, "127.0.0.1");
  assert.equal(config.dataDir, "/home/ada/.mlx-manager");
  assert.equal(config.databasePath, "/home/ada/.mlx-manager/mlx-manager.db");
  assert.equal(config.jwtSecret, null);
  assert.equal(config.jwtExpireDays, 7);
  assert.equal(config.mlxServer, "mlx-openai-server");
  assert.equal(config.healthInterval, 10);
  assert.equal(config.defaultPortStart, 10240);
  assert.equal(config.offline, false);
  assert.equal(config.hfEndpoint, "https://huggingface.co");
  assert.equal(config.hfToken, null);
  assert.equal(config.hfHome, "/home/ada/.cache/huggingface");
  assert.equal(config.hfHubCache, "/home/ada/.cache/huggingface/hub");
  assert.ok(Object.isFrozen(config));
});

Deno.test("loadConfig() reads every variable by its documented name", () => {
  const config = loadConfig({
    HOME: "/h",
    MLX_MANAGER_PORT: "9000",
    MLX_MANAGER_HOST: "0.0.0.0",
    MLX_MANAGER_DATA_DIR: "~/data",
    MLX_MANAGER_DATABASE_PATH: ":memory:",
    MLX_MANAGER_JWT_SECRET: "s".repeat(40),
    MLX_MANAGER_JWT_EXPIRE_DAYS: "2",
    MLX_MANAGER_MLX_SERVER: "/opt/bin/mlx-openai-server",
    MLX_MANAGER_HEALTH_INTERVAL: "0.5",
    MLX_MANAGER_DEFAULT_PORT_START: "20000",
    MLX_MANAGER_OFFLINE: "true",
    HF_ENDPOINT: "http://127.0.0.1:9999/",
    HF_TOKEN: "hf_x",
    HF_HOME: "/hf",
  });
  assert.equal(config.port, 9000);
  assert.equal(config.host, "0.0.0.0");
  assert.equal(config.dataDir, "/h/data");
  assert.equal(config.databasePath, ":memory:");
  assert.equal(config.jwtSecret, "s".repeat(40));
  assert.equal(config.jwtExpireDays, 2);
  assert.equal(config.mlxServer, "/opt/bin/mlx-openai-server");
  assert.equal(config.healthInterval, 0.5);
  assert.equal(config.defaultPortStart, 20000);
  assert.equal(config.offline, true);
  assert.equal(config.hfEndpoint, "http://127.0.0.1:9999");
  assert.equal(config.hfToken, "hf_x");
  assert.equal(config.hfHubCache, "/hf/hub");
});

Deno.test("loadConfig() prefers HF_HUB_CACHE over HF_HOME", () => {
  assert.equal(
    loadConfig({ HOME: "/h", HF_HOME: "/hf", HF_HUB_CACHE: "/cache" })
      .hfHubCache,
    "/cache",
  );
});

Deno.test("loadConfig() fails naming the variable when a value is bad", () => {
  const cases: [string, string, RegExp][] = [
    [
      "MLX_MANAGER_PORT",
      "eighty",
      /MLX_MANAGER_PORT: "eighty" is not a whole number/,
    ],
    ["MLX_MANAGER_PORT", "70000", /MLX_MANAGER_PORT: 70000 is outside 0–65535/],
    [
      "MLX_MANAGER_HEALTH_INTERVAL",
      "-1",
      /MLX_MANAGER_HEALTH_INTERVAL: "-1" is not a positive number/,
    ],
    [
      "MLX_MANAGER_OFFLINE",
      "maybe",
      /MLX_MANAGER_OFFLINE: "maybe" is not true or false/,
    ],
    [
      "MLX_MANAGER_JWT_SECRET",
      "short",
      /MLX_MANAGER_JWT_SECRET: it must be at least 32 characters/,
    ],
    [
      "MLX_MANAGER_DEFAULT_PORT_START",
      "80",
      /MLX_MANAGER_DEFAULT_PORT_START: 80 is outside/,
    ],
    [
      "HF_ENDPOINT",
      "ftp://x",
      /HF_ENDPOINT: "ftp:\/\/x" is not an http\(s\) URL/,
    ],
    ["HF_TOKEN", "not-a-token", /HF_TOKEN: a Hugging Face access token starts with hf_/],
    ["MLX_MANAGER_LOG_LEVEL", "loud", /MLX_MANAGER_LOG_LEVEL/],
  ];
  for (const [name, value, message] of cases) {
    assert.throws(
      () => loadConfig({ HOME: "/h", [name]: value }),
      (error: Error) => {
        assert.ok(error instanceof ConfigError, name);
        assert.equal((error as ConfigError).variable, name);
        assert.match(error.message, message);
        return true;
      },
    );
  }
});
