/**
 * What owning the connections costs (the accept loop, the connection limit,
 * the header, body and idle timeouts): this checkout's manager against
 * another checkout's (`--against`, e.g. the commit before), both run as
 * `main.ts serve`, in paired alternating rounds:
 *
 * - a request on a kept connection (`GET /health`, keep-alive);
 * - a request on a new connection each time (connect, request, close);
 * - a request on a kept connection while this client holds 1000 idle ones.
 *
 * Prints each side's per-round medians (min/median/max over the rounds) and
 * the median of the paired ratios (this ÷ other; 1.00 costs nothing).
 * Without `--against`, this checkout's figures alone.
 *
 * Run: deno run -A bench/connections.ts [--against=/path/to/other/checkout] [--rounds=7]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { formatSummary, pairedRatio, pairedRounds, report, summarize } from "./stats.ts";
import { type ManagerProcess, startManager } from "../tests/helpers/manager.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { against: { type: "string" }, rounds: { type: "string" } },
});
const rounds = Number(values.rounds ?? 7);
const encoder = new TextEncoder();

/** Milliseconds of one request on `conn`, read until its declared length. */
async function request(conn: Deno.Conn, host: string, close = false): Promise<number> {
  const started = performance.now();
  const head = `GET /health HTTP/1.1\r\nhost: ${host}\r\n${close ? "connection: close\r\n" : ""}\r\n`;
  await conn.write(encoder.encode(head));
  const buffer = new Uint8Array(16 * 1024);
  let text = "";
  while (true) {
    const n = await conn.read(buffer);
    if (n === null) break;
    text += new TextDecoder().decode(buffer.subarray(0, n));
    const end = text.indexOf("\r\n\r\n");
    const length = Number(text.match(/content-length: (\d+)/i)?.[1] ?? NaN);
    if (end >= 0 && text.length >= end + 4 + length) break;
  }
  if (!text.startsWith("HTTP/1.1 200")) throw new Error(`Unexpected answer: ${text.slice(0, 80)}`);
  return performance.now() - started;
}

function median(values: number[]): number {
  return summarize(values).median;
}

async function keptConnection(url: URL, n: number): Promise<number> {
  const conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
  try {
    await request(conn, url.host); // warm
    const times: number[] = [];
    for (let i = 0; i < n; i++) times.push(await request(conn, url.host));
    return median(times);
  } finally {
    conn.close();
  }
}

async function newConnections(url: URL, n: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const conn = await Deno.connect({ hostname: url.hostname, port: Number(url.port) });
    await request(conn, url.host, true);
    conn.close();
    times.push(performance.now() - started);
  }
  return median(times);
}

async function withIdle(url: URL, idle: number, n: number): Promise<number> {
  const held: Deno.Conn[] = [];
  try {
    for (let i = 0; i < idle; i++) {
      held.push(await Deno.connect({ hostname: url.hostname, port: Number(url.port) }));
    }
    return await keptConnection(url, n);
  } finally {
    for (const conn of held) conn.close();
  }
}

const dirs = [
  await Deno.makeTempDir({ prefix: "bench-conns-" }),
  await Deno.makeTempDir({ prefix: "bench-conns-" }),
];
const env = { MLX_MANAGER_OFFLINE: "true", MLX_MANAGER_LOG_LEVEL: "info" };
const managers: ManagerProcess[] = [];
try {
  managers.push(await startManager({ dataDir: dirs[0], env }));
  if (values.against) managers.push(await startManager({ dataDir: dirs[1], env, root: values.against }));
  const [mine, other] = managers.map((m) => new URL(m.url));
  const scenarios: [string, (url: URL) => Promise<number>][] = [
    ["a request on a kept connection", (url) => keptConnection(url, 300)],
    ["a request on a new connection", (url) => newConnections(url, 100)],
    ["a request on a kept connection with 1000 idle ones open", (url) => withIdle(url, 1000, 100)],
  ];
  for (const [name, measure] of scenarios) {
    report(`connections: ${name} (per-round median latency)`);
    if (!other) {
      const times: number[] = [];
      for (let i = 0; i < rounds; i++) times.push(await measure(mine));
      report(`  ${formatSummary(summarize(times), "ms", 3)}`);
      continue;
    }
    const { a, b } = await pairedRounds(rounds, () => measure(other), () => measure(mine));
    report(`  this checkout:  ${formatSummary(summarize(b), "ms", 3)}`);
    report(`  ${values.against}: ${formatSummary(summarize(a), "ms", 3)}`);
    report(`  ratio this/other (pairs): ${formatSummary(pairedRatio(a, b, (x) => x), "", 3)}`);
  }
} finally {
  for (const m of managers) {
    m.child.kill("SIGKILL");
    await m.child.status;
  }
  for (const dir of dirs) await Deno.remove(dir, { recursive: true }).catch(() => {});
}
