import assert from "node:assert/strict";
import { AppError } from "../../../lib/errors.ts";
import { toHttpError } from "../../../routes/errors.tsx";
import { hubReason, hubStatusError } from "../../../services/hub/errors.ts";

const HUB = "https://huggingface.co";

Deno.test("hubStatusError() gives each hub answer its code and reason, answered with the same statuses and body codes", () => {
  const cases: [number, string, Partial<AppError>, number, string][] = [
    [404, "Repository not found", { code: "not_found" }, 404, "not_found"],
    // Without a token the hub says 401 for a repository that does not exist: the reason decides.
    [401, "Repository Not Found for url", { code: "not_found" }, 404, "not_found"],
    [401, "Access to model org/x is restricted", { code: "forbidden", reason: "gated" }, 403, "gated"],
    [403, "Access denied", { code: "forbidden", reason: "gated" }, 403, "gated"],
    [
      429,
      "Too many requests",
      { code: "unavailable", reason: "rate_limited", retryAfter: 60 },
      503,
      "rate_limited",
    ],
    [500, "Internal error", { code: "upstream", reason: "hub_error" }, 502, "hub_error"],
  ];
  for (const [status, reason, expected, httpStatus, bodyCode] of cases) {
    const error = hubStatusError(status, reason, "org/x", HUB, false);
    assert.ok(error instanceof AppError);
    for (const [key, value] of Object.entries(expected)) {
      assert.equal(error[key as keyof AppError], value, `${status} ${reason}: ${key}`);
    }
    const mapped = toHttpError(error);
    assert.equal(mapped.status, httpStatus, `${status} ${reason}`);
    assert.equal(mapped.code, bodyCode, `${status} ${reason}`);
  }
  assert.equal(
    toHttpError(hubStatusError(429, "slow down", "org/x", HUB, false)).headers?.["Retry-After"],
    "60",
  );
});

Deno.test("hubStatusError() says how to get access to a gated repository, with or without a token", () => {
  const without = hubStatusError(403, "Access restricted.", "org/x", HUB, false);
  assert.equal(
    without.message,
    "org/x is gated or private: Access restricted. To download it, accept its licence at https://huggingface.co/org/x, then set HF_TOKEN and restart MLX Manager",
  );
  assert.match(
    hubStatusError(403, "Access restricted", "org/x", HUB, true).message,
    /with the account of HF_TOKEN$/,
  );
});

Deno.test("hubReason() prefers the X-Error-Message header, then the JSON error, then the status", () => {
  assert.equal(hubReason(401, new Headers({ "x-error-message": "Gated" }), { error: "other" }), "Gated");
  assert.equal(hubReason(404, new Headers(), { error: "Repository not found" }), "Repository not found");
  assert.equal(hubReason(500, new Headers(), null), "HTTP 500");
});
