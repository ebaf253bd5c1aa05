import assert from "node:assert/strict";
import { connectionReason } from "../../../../services/platform/http1/reason.ts";

Deno.test("connectionReason() keeps the innermost reason without the runtime's decorations", () => {
  const refused = new TypeError(
    "error sending request for url (http://127.0.0.1:1/): client error (Connect)",
    {
      cause: new Error("tcp connect error: Connection refused (os error 111)"),
    },
  );
  assert.equal(connectionReason(refused), "Connection refused");
  assert.equal(
    connectionReason(new Error("failed to lookup address information: Name or service not known")),
    "Name or service not known",
  );
  assert.equal(connectionReason(new DOMException("Signal timed out.", "TimeoutError")), "no answer in time");
  assert.equal(connectionReason("plain words"), "plain words");
  assert.equal(connectionReason(new Error("x".repeat(500))).length, 200);
});
