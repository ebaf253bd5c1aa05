/**
 * The cost of one more machine on the way: two managers as their own
 * processes, the front one routing to the other as an upstream, both with
 * the fake mlx-openai-server.
 *
 * - added time to first token of the front hop: via front − via peer (median
 *   of paired rounds)
 * - a whole streamed answer of 16 000 chunks, no token delay: time via front
 *   ÷ time via peer (median of paired rounds)
 * - the answer when the peer is gone: time until `503 upstream_unavailable`
 *   (connection refused; min/median/max)
 *
 * Run: deno run -A bench/upstreams.ts [--rounds=N]
 *
 * @module
 */
import { formatSummary, pairedDiff, pairedRatio, pairedRounds, report, summarize } from "./stats.ts";
import { benchManager, readSse, startFakeProfile } from "./harness.ts";

const rounds = Number(Deno.args.find((a) => a.startsWith("--rounds="))?.split("=")[1] ?? 5);

interface Sample {
  ttft: number;
  /** From sending to the last chunk. */
  total: number;
}

async function stream(url: string, model: string, key: string): Promise<Sample> {
  const started = performance.now();
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "bench" }], stream: true }),
  });
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  let first = 0;
  let last = 0;
  await readSse(res, (payload, at) => {
    last = at;
    if (!first && payload.includes('"content"')) first = at;
  });
  return { ttft: first - started, total: last - started };
}

const peer = await benchManager();
const front = await benchManager();
try {
  const { key: peerKey } = await peer.api("POST", "/api/keys", { name: "front door" }) as { key: string };
  const { key } = await front.api("POST", "/api/keys", { name: "bench" }) as { key: string };
  await startFakeProfile(peer, "fast", { token_delay_ms: 0, reply: "abcd".repeat(4000) });
  await startFakeProfile(peer, "paced", { token_delay_ms: 5, reply: "Paris is the capital." });
  const upstream = await front.api("POST", "/api/upstreams", {
    name: "peer",
    kind: "mlx-manager",
    base_url: `${peer.url}/v1`,
    api_key: peerKey,
  }) as { id: number };
  for (let i = 0; i < 200; i++) {
    const view = await front.api("GET", `/api/upstreams/${upstream.id}`) as {
      state: string;
      served: unknown[];
    };
    if (view.state === "online" && view.served.length === 2) break;
    await new Promise((r) => setTimeout(r, 25));
  }

  const ttft = await pairedRounds(
    rounds * 4,
    () => stream(peer.url, "paced", peerKey),
    () => stream(front.url, "peer/paced", key),
  );
  report(
    `upstreams: added time to first token of the front hop: ${
      formatSummary(pairedDiff(ttft.a, ttft.b, (s) => s.ttft), "ms")
    } (via the peer itself: median ${summarize(ttft.a.map((s) => s.ttft)).median.toFixed(2)} ms)`,
  );

  const throughput = await pairedRounds(
    rounds,
    () => stream(peer.url, "fast", peerKey),
    () => stream(front.url, "peer/fast", key),
  );
  report(
    `upstreams: a streamed answer of 16 000 chunks, time via the front ÷ via the peer: ${
      formatSummary(pairedRatio(throughput.a, throughput.b, (s) => s.total), "", 3)
    } (via the peer: median ${summarize(throughput.a.map((s) => s.total)).median.toFixed(1)} ms)`,
  );

  await peer.stop();
  const offline: number[] = [];
  for (let i = 0; i < rounds * 4; i++) {
    const started = performance.now();
    const res = await fetch(`${front.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: "peer/paced", messages: [{ role: "user", content: "x" }] }),
    });
    const body = await res.json();
    if (res.status !== 503 || body.error?.code !== "upstream_unavailable") {
      throw new Error(`Expected 503 upstream_unavailable, got ${res.status} ${JSON.stringify(body)}`);
    }
    offline.push(performance.now() - started);
  }
  report(
    `upstreams: 503 upstream_unavailable once the peer is gone: ${
      formatSummary(summarize(offline), "ms")
    } (bound: MLX_MANAGER_UPSTREAM_CONNECT_TIMEOUT, 10 s)`,
  );
} finally {
  await peer.stop();
  await front.stop();
}
