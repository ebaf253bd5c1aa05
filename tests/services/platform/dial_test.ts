import assert from "node:assert/strict";
import { dialHost, serverUrl } from "../../../services/platform/dial.ts";

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
