import assert from "node:assert/strict";
import { AppError } from "../../../lib/errors.ts";
import {
  fromAppError,
  type Refusal,
  refusal,
  type RefusalCode,
  REFUSALS,
  toGatewayError,
} from "../../../services/gateway/errors.ts";
import { cutError } from "../../../services/gateway/failures.ts";

Deno.test("refusal() takes each entry's status, type and retry headers from REFUSALS", () => {
  for (const [code, entry] of Object.entries(REFUSALS) as [RefusalCode, Refusal][]) {
    const error = refusal(code, "why");
    assert.deepEqual([error.status, error.type, error.code, error.message], [
      entry.status,
      entry.type,
      code,
      "why",
    ]);
    const seconds = String(entry.retryAfter ?? 1);
    assert.equal(error.headers["Retry-After"], entry.retry === "after" ? seconds : undefined, code);
    assert.equal(error.headers["x-should-retry"], entry.retry === "never" ? "false" : undefined, code);
  }
  // A refusal that is not retried in general is once its error says when.
  const soon = refusal("model_start_failed", "loading", { retryAfter: 3.2 });
  assert.deepEqual(soon.headers, { "Retry-After": "4", "retry-after-ms": "4000" });
  assert.equal(refusal("queue_full", "full", { retryAfter: 600 }).headers["Retry-After"], "60");
});

Deno.test("fromAppError() maps the supervisor's reasons onto their entries, and each code onto its default", () => {
  const cases: [AppError, number, string, Record<string, string>][] = [
    [new AppError("not_found", "Profile not found"), 404, "model_not_found", {}],
    [
      new AppError("rate_limited", "Full", { reason: "queue_full", retryAfter: 2 }),
      429,
      "queue_full",
      { "Retry-After": "2", "retry-after-ms": "2000" },
    ],
    [
      new AppError("unavailable", "Waited", { reason: "queue_timeout", retryAfter: 5 }),
      503,
      "queue_timeout",
      { "Retry-After": "5", "retry-after-ms": "5000" },
    ],
    [
      new AppError("unavailable", "Too big", { reason: "model_exceeds_memory_budget" }),
      503,
      "model_exceeds_memory_budget",
      { "x-should-retry": "false" },
    ],
    [new AppError("unavailable", "It crashed"), 503, "model_start_failed", { "x-should-retry": "false" }],
    // A reason of another status does not change the status the code stands for.
    [
      new AppError("unavailable", "x", { reason: "model_not_found" }),
      503,
      "model_start_failed",
      { "x-should-retry": "false" },
    ],
    [new AppError("conflict", "Port in use", { reason: "port_in_use" }), 503, "model_start_failed", {
      "x-should-retry": "false",
    }],
    [new AppError("invalid", "Bad", { reason: "no_such_reason" }), 400, "invalid_request", {}],
    [new AppError("too_large", "Big"), 413, "request_too_large", {}],
    [new AppError("forbidden", "No"), 403, "forbidden", {}],
    [new AppError("disk_full", "Full disk"), 500, "internal_error", {}],
  ];
  for (const [error, status, code, headers] of cases) {
    const mapped = fromAppError(error, "qwen");
    assert.deepEqual([mapped.status, mapped.code, mapped.headers], [status, code, headers], error.message);
    assert.equal(mapped.kind, error.code, "the service's code is the kind");
  }
  assert.equal(fromAppError(new AppError("not_found", "x"), "qwen").param, "model");
  const unauthenticated = fromAppError(new AppError("unauthenticated", "Sign in first"), "m");
  assert.deepEqual(
    [unauthenticated.status, unauthenticated.code, unauthenticated.headers["WWW-Authenticate"]],
    [401, "invalid_api_key", 'Bearer realm="mlx-manager"'],
  );
  const bug = toGatewayError(new TypeError("undefined is not a function"));
  assert.deepEqual([bug.status, bug.code, bug.message], [
    500,
    "internal_error",
    "The gateway failed to handle this request",
  ]);
});

Deno.test("cutError() answers a revoked key 401 and a shutdown 503 with Retry-After", () => {
  const revoked = cutError({ type: "invalid_request_error", code: "api_key_revoked", message: "revoked" });
  assert.deepEqual([revoked.status, revoked.kind], [401, "unauthenticated"]);
  const shutdown = cutError({ type: "server_error", code: "shutting_down", message: "stopping" });
  assert.deepEqual([shutdown.status, shutdown.headers["Retry-After"], shutdown.kind], [
    503,
    "5",
    "unavailable",
  ]);
});

Deno.test("no module but the catalogue builds a GatewayError, so no throw site chooses a status", async () => {
  const root = new URL("../../../", import.meta.url);
  const builders: string[] = [];
  const walk = async (dir: URL) => {
    for await (const entry of Deno.readDir(dir)) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
      if (entry.isDirectory) await walk(url);
      else if (/\.tsx?$/.test(entry.name) && /new GatewayError\(/.test(await Deno.readTextFile(url))) {
        builders.push(url.pathname.slice(root.pathname.length));
      }
    }
  };
  for (const dir of ["services/", "routes/", "lib/"]) await walk(new URL(dir, root));
  assert.deepEqual(builders, ["services/gateway/errors.ts"]);
});
