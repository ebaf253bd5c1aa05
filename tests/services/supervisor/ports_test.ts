import assert from "node:assert/strict";
import { firstFreePort, portProblem } from "../../../services/supervisor/ports.ts";
import { freePort } from "../../helpers/net.ts";

Deno.test("portProblem tells a free port from one in use and from a host that is not ours", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const used = (listener.addr as Deno.NetAddr).port;
  try {
    assert.equal(await portProblem("127.0.0.1", used), "in_use");
    assert.equal(await portProblem("0.0.0.0", used), "in_use", "a wildcard server would clash");
    assert.equal(await portProblem("localhost", used), "in_use");
    assert.equal(await portProblem("127.0.0.1", freePort()), null);
    assert.equal(await portProblem("192.0.2.1", freePort()), "bad_host", "TEST-NET-1 is nobody's address");
  } finally {
    listener.close();
  }
});

Deno.test("firstFreePort skips taken ports and ports something listens on", async () => {
  const start = freePort();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: start + 1 });
  try {
    assert.equal(await firstFreePort(start, new Set([start])), start + 2);
  } finally {
    listener.close();
  }
});
