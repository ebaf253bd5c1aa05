import assert from "node:assert/strict";
import { toStatus } from "../../../services/launchd/server_status.ts";
import type { LaunchdStatus } from "../../../services/launchd/mod.ts";
import type { Profile } from "../../../db/profiles.ts";
import type { ProbeResult } from "../../../services/supervisor/health.ts";

const PROFILE = {
  id: 3,
  name: "qwen3",
  model_path: "mlx-community/Qwen3-4B-4bit",
  model_type: "lm",
  host: "127.0.0.1",
  port: 10240,
} as Profile;

const job = (overrides: Partial<LaunchdStatus> = {}): LaunchdStatus => ({
  label: "com.mlx-manager.profile-3",
  plist_path: "/Users/ada/Library/LaunchAgents/com.mlx-manager.profile-3.plist",
  installed: true,
  loaded: true,
  running: true,
  pid: 4242,
  state: "running",
  last_exit_code: null,
  last_signal: null,
  ...overrides,
});

const probe = (ok: boolean): ProbeResult => ({
  ok,
  status: ok ? 200 : null,
  ms: 4,
  refused: !ok,
  error: ok ? null : "connection refused",
  modelId: null,
});

const T0 = new Date("2026-01-01T00:00:00Z");
const later = (s: number) => new Date(T0.getTime() + s * 1000);
const readings = (p: ProbeResult | null, rss: number | null = null) => ({
  probe: p,
  usage: rss === null ? null : { cpuPercent: 12.5, rssBytes: rss, processes: 2, children: [] },
  totalMemory: 64 * 1024 ** 3,
});

Deno.test("a launchd job's server is starting until /health answers, then running and healthy", () => {
  const starting = toStatus(PROFILE, job(), null, readings(probe(false)), T0)!;
  assert.deepEqual(
    [starting.state, starting.health, starting.managed_by, starting.pid, starting.started_at],
    ["starting", "unknown", "launchd", 4242, T0.toISOString()],
  );
  const running = toStatus(PROFILE, job(), starting, readings(probe(true), 8 * 1024 ** 3), later(30))!;
  assert.deepEqual([running.state, running.health, running.uptime_seconds], ["running", "healthy", 30]);
  assert.equal(running.ready_at, later(30).toISOString());
  assert.equal(running.memory_bytes, 8 * 1024 ** 3);
  assert.equal(running.memory_percent, 12.5);
  assert.equal(running.cpu_percent, 12.5);
  assert.equal(running.profile_name, "qwen3");
});

Deno.test("a running launchd server that stops answering follows the supervisor's health rules", () => {
  let status = toStatus(PROFILE, job(), null, readings(probe(true)), T0)!;
  const missed: number[] = [];
  for (let i = 1; i <= 3; i++) {
    status = toStatus(PROFILE, job(), status, readings(probe(false)), later(i))!;
    missed.push(status.missed_probes);
    assert.equal(status.state, "running", "it stays running: launchd decides when it is gone");
  }
  assert.deepEqual(missed, [1, 2, 3]);
  assert.equal(status.health, "unhealthy");
  assert.equal(status.ready_at, T0.toISOString());
});

Deno.test("a new pid means a new run: uptime and readiness start again", () => {
  const first = toStatus(PROFILE, job(), null, readings(probe(true)), T0)!;
  const restarted = toStatus(PROFILE, job({ pid: 5000 }), first, readings(probe(false)), later(60))!;
  assert.deepEqual([restarted.state, restarted.started_at, restarted.ready_at], [
    "starting",
    later(60).toISOString(),
    null,
  ]);
});

Deno.test("a loaded job that exited badly is crashed; one that never ran or was unloaded is not listed", () => {
  const crashed = toStatus(
    PROFILE,
    job({ running: false, pid: null, state: "not running", last_exit_code: 1 }),
    null,
    readings(null),
  )!;
  assert.equal(crashed.state, "crashed");
  assert.equal(crashed.exit_code, 1);
  assert.match(crashed.last_error!, /exited with code 1 under launchd, which starts it again after 30 s/);
  const killed = toStatus(
    PROFILE,
    job({ running: false, pid: null, last_signal: "Killed: 9" }),
    null,
    readings(null),
  )!;
  assert.match(killed.last_error!, /was killed \(Killed: 9\)/);
  assert.equal(toStatus(PROFILE, job({ running: false, pid: null }), null, readings(null)), null);
  assert.equal(
    toStatus(PROFILE, job({ running: false, pid: null, last_exit_code: 0 }), null, readings(null)),
    null,
  );
  assert.equal(
    toStatus(
      PROFILE,
      job({ loaded: false, running: false, pid: null, last_exit_code: 1 }),
      null,
      readings(null),
    ),
    null,
  );
});

Deno.test("a launchd server that reports the profile's served name (1.7+) is reached under it, and keeps it", () => {
  const named = { ...probe(true), modelId: "profile-3" };
  const running = toStatus(PROFILE, job(), null, readings(named), T0)!;
  assert.equal(running.served_model, "profile-3");
  const silent = toStatus(PROFILE, job(), running, readings(probe(false)), later(1))!;
  assert.equal(silent.served_model, "profile-3", "a missed probe does not forget it");
  const old = toStatus(PROFILE, job(), null, readings({ ...probe(true), modelId: PROFILE.model_path }), T0)!;
  assert.equal(old.served_model, null, "1.5 takes any name");
});
