/**
 * How long this machine takes to wake an idle process: the round trip of one
 * byte between two Deno processes on loopback, sent at once after the last
 * one and after a pause. On a physical machine both are tens of
 * microseconds; in a virtual machine whose idle CPUs are parked, the round
 * trip after a pause can take milliseconds. Every extra process on a path
 * (the manager between a client and its model server) pays it once more per
 * hop, so benchmarks that measure added latency print it beside their numbers.
 *
 * Run: deno run -A bench/wake.ts
 *
 * @module
 */
import { formatSummary, report, summarize, type Summary } from "./stats.ts";

const ECHO = `
const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
console.log(listener.addr.port);
for await (const conn of listener) {
  conn.setNoDelay(true);
  (async () => {
    const buffer = new Uint8Array(64);
    for (let n; (n = await conn.read(buffer)) !== null;) await conn.write(buffer.subarray(0, n));
  })();
}
`;

/** Round trips in ms after each pause. */
export interface WakeLatency {
  /** Pause (ms) → round trips measured after it. */
  byPause: Map<number, Summary>;
}

/** Measures loopback round trips to a child process after each pause in `pauses` (ms). */
export async function wakeLatency(pauses: number[] = [0, 1000], samples = 7): Promise<WakeLatency> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", ECHO],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  try {
    let line = "";
    while (!line.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("The echo process ended before it listened");
      line += value;
    }
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(line.trim()) });
    conn.setNoDelay(true);
    const byte = new Uint8Array([1]);
    const buffer = new Uint8Array(64);
    const trip = async () => {
      const started = performance.now();
      await conn.write(byte);
      if (await conn.read(buffer) === null) throw new Error("The echo process closed the connection");
      return performance.now() - started;
    };
    for (let i = 0; i < 20; i++) await trip(); // warm both processes' paths
    const byPause = new Map<number, Summary>();
    for (const pause of pauses) {
      const trips: number[] = [];
      for (let i = 0; i < samples; i++) {
        if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
        trips.push(await trip());
      }
      byPause.set(pause, summarize(trips));
    }
    conn.close();
    return { byPause };
  } finally {
    reader.cancel().catch(() => {});
    try {
      child.kill();
    } catch { /* already gone */ }
    await child.status;
  }
}

/** The lines {@link report} prints for a measurement. */
export function formatWake(wake: WakeLatency): string {
  return [...wake.byPause].map(([pause, s]) =>
    `  loopback round trip ${pause ? `after ${pause} ms idle` : "back to back"}: ${formatSummary(s, "ms", 3)}`
  ).join("\n");
}

if (import.meta.main) {
  report(`this machine's wake-up latency\n${formatWake(await wakeLatency([0, 10, 100, 1000]))}`);
}
