import assert from "node:assert/strict";
import { waitFor } from "../../helpers/net.ts";
import { EventBus } from "../../../services/events.ts";
import { openDb } from "../../../db/mod.ts";
import { SecretBox } from "../../../services/secrets.ts";
import { createLogger } from "../../../lib/logger.ts";
import { type ProbeResult, Upstreams } from "../../../services/upstreams/mod.ts";

Deno.test("Upstreams.tick() probes an offline upstream again only after its backoff", async () => {
  const db = openDb(":memory:");
  const dir = await Deno.makeTempDir();
  const calls: number[] = [];
  let answer: ProbeResult = {
    state: "offline",
    error: "Cannot reach it: refused",
    latencyMs: null,
    models: null,
  };
  const upstreams = new Upstreams({
    db,
    bus: new EventBus(),
    secrets: new SecretBox(dir),
    logger: createLogger("silent"),
    connectTimeoutMs: 1000,
    timing: { healthMs: 60_000, maxBackoffMs: 600_000 },
    probe: () => {
      calls.push(Date.now());
      return Promise.resolve(answer);
    },
  });
  try {
    const created = await upstreams.create({
      name: "remote",
      kind: "openai",
      base_url: "http://studio.invalid/v1",
      models: "discover",
      enabled: true,
    });
    await waitFor(() => calls.length === 1 && upstreams.get(created.id).state === "offline", "first probe");
    await upstreams.tick();
    await upstreams.tick();
    assert.equal(calls.length, 1, "not due again within its interval");

    // A request that got through: online again at once, and due for a probe.
    answer = { state: "online", error: null, latencyMs: 3, models: [] };
    upstreams.markReachable(created.id);
    assert.equal(upstreams.get(created.id).state, "online");
    await upstreams.tick();
    assert.equal(calls.length, 2);
    assert.equal(upstreams.get(created.id).state, "online");
  } finally {
    await upstreams.close();
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
