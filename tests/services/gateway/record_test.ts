import assert from "node:assert/strict";
import { AppError } from "../../../lib/errors.ts";
import {
  fromAppError,
  GatewayError,
  invalidApiKey,
  modelNotFound,
} from "../../../services/gateway/errors.ts";
import { cutError } from "../../../services/gateway/failures.ts";
import { outcomeOf } from "../../../services/gateway/record.ts";

Deno.test("outcomeOf() records refused credentials as rejected_auth by the error's kind, not its HTTP status", () => {
  assert.equal(outcomeOf(invalidApiKey("This API key is not valid")), "rejected_auth");
  assert.equal(
    outcomeOf(fromAppError(new AppError("unauthenticated", "Sign in first"), "m")),
    "rejected_auth",
  );
  assert.equal(
    outcomeOf(cutError({ type: "invalid_request_error", code: "api_key_revoked", message: "revoked" })),
    "rejected_auth",
  );
  // A 401 that is not about the caller's credentials is a plain refusal.
  assert.equal(outcomeOf(new GatewayError(401, "invalid_request_error", "other", "x")), "rejected");
  assert.equal(outcomeOf(modelNotFound("m")), "rejected");
});

Deno.test("GatewayError takes its kind from an AppError cause unless one is given", () => {
  const cause = new AppError("rate_limited", "Too many");
  assert.equal(new GatewayError(429, "rate_limit_error", "queue_full", "x", { cause }).kind, "rate_limited");
  assert.equal(
    new GatewayError(503, "server_error", "x", "x", { cause, kind: "unavailable" }).kind,
    "unavailable",
  );
  assert.equal(new GatewayError(500, "server_error", "x", "x", { cause: new Error("bug") }).kind, null);
});
