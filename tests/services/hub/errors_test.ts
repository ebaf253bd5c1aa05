import assert from "node:assert/strict";
import { AppError } from "../../../lib/errors.ts";
import { toHttpError } from "../../../routes/errors.tsx";
import { hubReason, hubStatusError } from "../../../services/hub/errors.ts";

const HUB = "https://huggingface.co";

Deno.test("hubStatusError() gives each hub answer its code and reason, answered with the same statuses and body codes", () => {
  const cases: [number, string, Partial<AppError>, number, string][] = [
    [404, "Repository not found", { code: "not_found" }, 404, "not_found"],
    // Without a code, a 401 that says the repository is missing is missing.
    [401, "Repository Not Found for url", { code: "not_found" }, 404, "not_found"],
    [401, "Access to model org/x is restricted", { code: "forbidden", reason: "gated" }, 403, "gated"],
    // A refusal that does not say gated is not called gated.
    [403, "Access denied", { code: "forbidden", reason: "hub_refused" }, 403, "hub_refused"],
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

Deno.test("hubStatusError() reads the hub's error code: a signed-out typo is not found, not gated or private", () => {
  // What the hub answers without a token for a repository that does not exist.
  const typo = hubStatusError(401, "Invalid username or password.", "org/typo", HUB, false, "RepoNotFound");
  assert.equal(typo.code, "not_found");
  assert.equal(
    typo.message,
    "org/typo was not found on Hugging Face: check the name. If it is a private repository of yours, set HF_TOKEN and restart MLX Manager",
  );
  assert.doesNotMatch(typo.message, /gated|Invalid username/);
  const signedIn = hubStatusError(404, "Repository not found", "org/typo", HUB, true, "RepoNotFound");
  assert.equal(signedIn.message, "org/typo was not found on Hugging Face: check the name");
  const gated = hubStatusError(401, "Access to model org/x is restricted.", "org/x", HUB, false, "GatedRepo");
  assert.deepEqual([gated.code, gated.reason], ["forbidden", "gated"]);
  const file = hubStatusError(404, "x.bin does not exist", "org/x", HUB, false, "EntryNotFound");
  assert.deepEqual([file.code, file.message], [
    "not_found",
    "Hugging Face has no such file or revision in org/x: x.bin does not exist",
  ]);
  const badToken = hubStatusError(401, "Invalid credentials in Authorization header", "org/x", HUB, true);
  assert.deepEqual([badToken.code, badToken.reason], ["forbidden", "hub_refused"]);
  assert.match(badToken.message, /refused the token in HF_TOKEN/);
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
