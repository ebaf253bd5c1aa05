import assert from "node:assert/strict";
import { dialHost, isWildcardHost, serverUrl } from "../../lib/dial.ts";

Deno.test("dialHost() dials loopback for wildcard and empty hosts and brackets IPv6", () => {
  assert.equal(dialHost("0.0.0.0"), "127.0.0.1");
  assert.equal(dialHost(""), "127.0.0.1");
  assert.equal(dialHost("::"), "[::1]");
  assert.equal(dialHost("fe80::1"), "[fe80::1]");
  assert.equal(dialHost("[::1]"), "[::1]");
  assert.equal(dialHost("127.0.0.1"), "127.0.0.1");
  assert.equal(dialHost("studio.local"), "studio.local");
});

Deno.test("serverUrl() builds the base URL of a server from its bind host and port", () => {
  assert.equal(serverUrl("0.0.0.0", 10240), "http://127.0.0.1:10240");
  assert.equal(serverUrl("::1", 8000), "http://[::1]:8000");
});

Deno.test("dialHost() reaches a wildcard bind through the host it is given, as the browser does", () => {
  assert.equal(dialHost("0.0.0.0", { wildcard: "studio.local" }), "studio.local");
  assert.equal(dialHost("", { wildcard: "studio.local" }), "studio.local");
  assert.equal(dialHost("::", { wildcard: "fe80::2" }), "[fe80::2]");
  assert.equal(
    dialHost("::", { wildcard: "[::1]" }),
    "[::1]",
    "a browser's IPv6 host name keeps its brackets",
  );
  assert.equal(
    dialHost("10.0.0.5", { wildcard: "studio.local" }),
    "10.0.0.5",
    "a named address is dialled as it is",
  );
  assert.equal(serverUrl("0.0.0.0", 10240, { wildcard: "studio.local" }), "http://studio.local:10240");
  assert.deepEqual(["", "0.0.0.0", "::", "::1", "127.0.0.1"].map(isWildcardHost), [
    true,
    true,
    true,
    false,
    false,
  ]);
});
