import assert from "node:assert/strict";
import { parsePs, sampleProcesses, treeUsage } from "../../../services/supervisor/metrics.ts";

const PS = `    1     0 13028  0.4 Ss
  100     1  2048 50.0 Sl
  101   100  1024 25.5 R
  102   101   512  1.0 S
  103   100     0  0.0 Z
  200     1  4096  3.0 S
`;

Deno.test("parsePs reads pid, parent, memory and CPU, skipping zombies", () => {
  const rows = parsePs(PS);
  assert.equal(rows.length, 5);
  assert.deepEqual(rows[1], { pid: 100, ppid: 1, rss: 2048 * 1024, cpu: 50 });
  assert.ok(!rows.some((r) => r.pid === 103));
  assert.deepEqual(parsePs("  7  1  10  1,5 S\n")[0].cpu, 1.5, "a comma decimal (some locales) is read");
});

Deno.test("treeUsage sums a process and all its descendants, per root", () => {
  const usage = treeUsage(parsePs(PS), [100, 200, 999]);
  assert.deepEqual(usage.get(100), { cpuPercent: 76.5, rssBytes: (2048 + 1024 + 512) * 1024, processes: 3 });
  assert.deepEqual(usage.get(200), { cpuPercent: 3, rssBytes: 4096 * 1024, processes: 1 });
  assert.equal(usage.has(999), false, "a process that is gone has no usage");
});

Deno.test("sampleProcesses lists this very process with one ps call", async () => {
  const rows = await sampleProcesses();
  const me = rows.find((r) => r.pid === Deno.pid);
  assert.ok(me && me.rss > 0);
});
