/**
 * What checking limits costs, and how fast `/metrics` answers.
 *
 * - in process: `admit()` + settling for a caller whose key and user both
 *   carry every limit, against an unlimited caller (both read their limits
 *   from a file-backed database), microseconds per request over paired
 *   rounds (target: the limited one adds ≤ 0.2 ms)
 * - through a manager process (`main.ts serve`) at 200 requests a second:
 *   the latency of non-streamed chat requests with a limited key minus the
 *   same with an unlimited key, median of paired rounds (target ≤ 0.2 ms;
 *   on a loaded machine the noise of one HTTP round trip is larger)
 * - `GET /metrics` with 50 profiles (3 of them running) and requests
 *   recorded: time to the whole answer, over 60 scrapes per round
 *   (target ≤ 20 ms)
 *
 * Run: deno run -A bench/limits.ts [--rounds=N] [--only=process|http|metrics]
 *
 * @module
 */
import { formatSummary, pairedDiff, pairedRounds, report, summarize } from "./stats.ts";
import { benchManager, startFakeProfile } from "./harness.ts";
import { openDb } from "../db/mod.ts";
import { Calendar } from "../services/limits/calendar.ts";
import { Limits } from "../services/limits/mod.ts";
import { admit } from "../services/gateway/limits.ts";
import type { ActivityRow } from "../services/gateway/activity.ts";
import type { ParsedBody } from "../services/gateway/body.ts";

/** Ends the run early when a phase is left out. */
class Done extends Error {}

const rounds = Number(Deno.args.find((a) => a.startsWith("--rounds="))?.split("=")[1] ?? 5);
const only = Deno.args.find((a) => a.startsWith("--only="))?.split("=")[1];
const runs = (phase: string) => !only || only === phase;
const EVERY_LIMIT = { rpm: 1e9, tpm: 1e12, max_parallel: 1e6, budget_tokens: 1e12, budget_period: "month" };

// 1. In process.
if (runs("process")) {
  const dir = await Deno.makeTempDir({ prefix: "bench-limits-" });
  const db = openDb(`${dir}/bench.db`);
  db.exec(`INSERT INTO users (id, email, email_key, password_hash, is_admin, status, created_at)
    VALUES (1, 'a@b.c', 'a@b.c', 'x', 1, 'approved', '2026-01-01'), (2, 'd@e.f', 'd@e.f', 'x', 0, 'approved', '2026-01-01')`);
  for (const [id, user] of [[1, 1], [2, 2]]) {
    db.prepare(`INSERT INTO api_keys (id, lookup, user_id, name, secret_hash, prefix, created_at)
      VALUES (?, ?, ?, 'k', 'h', 'p', '2026-01-01')`).run(id, `lookup${id}`, user);
  }
  const set = `rpm = 1000000000, tpm = 1000000000000, max_parallel = 1000000, budget_tokens = 1000000000000,
    budget_period = 'month'`;
  db.exec(`UPDATE api_keys SET ${set} WHERE id = 2; UPDATE users SET ${set} WHERE id = 2;`);
  const limits = new Limits({ db, calendar: new Calendar(Intl.DateTimeFormat().resolvedOptions().timeZone) });
  const raw = new TextEncoder().encode(
    JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
  );
  const parsed: ParsedBody = { raw, json: {}, model: "m", stream: false, contentType: "application/json" };
  const row = { status: 200, prompt_tokens: 10, completion_tokens: 20 } as ActivityRow;
  const calls = 20_000;
  const run = (caller: { keyId: number; userId: number; isAdmin: boolean; models: null }) => () => {
    const started = performance.now();
    for (let i = 0; i < calls; i++) {
      const admission = admit(limits, caller, parsed);
      admission.settle({ ...row });
    }
    return Promise.resolve((performance.now() - started) * 1000 / calls);
  };
  const free = run({ keyId: 1, userId: 1, isAdmin: true, models: null });
  const limited = run({ keyId: 2, userId: 2, isAdmin: false, models: null });
  await free();
  await limited();
  const { a, b } = await pairedRounds(rounds, free, limited);
  report(`limits in process, unlimited caller: ${formatSummary(summarize(a), "µs/request")}`);
  report(`limits in process, key and user with every limit: ${formatSummary(summarize(b), "µs/request")}`);
  report(
    `limits in process, added by the limits: ${formatSummary(pairedDiff(a, b, (x) => x), "µs/request")}`,
  );
  db.close();
  await Deno.remove(dir, { recursive: true });
}

// 2. Through a manager, at 200 requests a second.
if (only === "process") Deno.exit(0);
const manager = await benchManager({ env: { MLX_MANAGER_METRICS_TOKEN: "bench-metrics-token-0123" } });
try {
  // Room for every request of the paced rounds: the limits are measured, not the profile's queue.
  await startFakeProfile(manager, "fast", { token_delay_ms: 0, reply: "ok" }, {
    max_concurrency: 16,
    queue_size: 10_000,
  });
  const free = (await manager.api("POST", "/api/keys", { name: "free" }) as { key: string }).key;
  const limited = (await manager.api("POST", "/api/keys", { name: "limited", limits: EVERY_LIMIT }) as {
    key: string;
  }).key;
  const body = JSON.stringify({ model: "fast", messages: [{ role: "user", content: "hi" }] });
  const one = async (key: string): Promise<number> => {
    const started = performance.now();
    const res = await fetch(`${manager.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body,
    });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`answered ${res.status}`);
    return performance.now() - started;
  };
  /** 200 requests a second for `seconds`: the median latency. */
  const paced = async (key: string, seconds = 2): Promise<number> => {
    const latencies: Promise<number>[] = [];
    const start = performance.now();
    for (let i = 0; i < 200 * seconds; i++) {
      const due = start + i * 5;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      latencies.push(one(key));
    }
    return summarize(await Promise.all(latencies)).median;
  };
  if (runs("http")) {
    await paced(free, 1);
    await paced(limited, 1);
    const { a, b } = await pairedRounds(rounds, () => paced(free), () => paced(limited));
    report(`limits at 200 req/s, unlimited key: median latency ${formatSummary(summarize(a), "ms")}`);
    report(`limits at 200 req/s, limited key: median latency ${formatSummary(summarize(b), "ms")}`);
    report(`limits at 200 req/s, added by the limits: ${formatSummary(pairedDiff(a, b, (x) => x), "ms", 3)}`);
  }

  // 3. /metrics with 50 profiles.
  if (!runs("metrics")) throw new Done();
  for (let i = 1; i < 50; i++) {
    const name = `p${String(i).padStart(2, "0")}`;
    if (i < 3) {
      await startFakeProfile(manager, name, { token_delay_ms: 0 });
    } else {
      await manager.api("POST", "/api/profiles", {
        name,
        model_path: `${manager.dataDir}/models/fast`,
        port: 20_000 + i,
      });
    }
  }
  const scrape = async (): Promise<number> => {
    const started = performance.now();
    const res = await fetch(`${manager.url}/metrics`, {
      headers: { authorization: "Bearer bench-metrics-token-0123" },
    });
    const text = await res.text();
    if (!res.ok || !text.includes('mlx_manager_queue_depth{profile="p49"}')) {
      throw new Error(`/metrics answered ${res.status}`);
    }
    return performance.now() - started;
  };
  await scrape();
  const medians: number[] = [];
  const all: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const times: number[] = [];
    for (let i = 0; i < 60; i++) times.push(await scrape());
    medians.push(summarize(times).median);
    all.push(...times);
  }
  report(`/metrics with 50 profiles, median of each round: ${formatSummary(summarize(medians), "ms")}`);
  report(`/metrics with 50 profiles, every scrape: ${formatSummary(summarize(all), "ms")}`);
} catch (error) {
  if (!(error instanceof Done)) throw error;
} finally {
  await manager.stop();
}
