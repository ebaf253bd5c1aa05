import assert from "node:assert/strict";
import { Hono } from "hono";
import { AppError, ERROR_CODES } from "../../lib/errors.ts";
import { CODE_STATUS, onError, toHttpError } from "../../routes/errors.tsx";
import type { AppEnv } from "../../routes/env.ts";
import { CODE_EXIT } from "../../cli/io.ts";

Deno.test("CODE_STATUS gives every error code a client or server error status", () => {
  for (const code of ERROR_CODES) {
    const status = CODE_STATUS[code];
    assert.deepEqual(status >= 400 && status < 600, true, `${code} → ${status}`);
  }
  assert.deepEqual(CODE_STATUS.not_found, 404);
  assert.deepEqual(CODE_STATUS.conflict, 409);
  assert.deepEqual(CODE_STATUS.disk_full, 507);
});

Deno.test("CODE_EXIT gives every error code an exit code", () => {
  for (const code of ERROR_CODES) assert.deepEqual(typeof CODE_EXIT[code], "number", code);
});

Deno.test("toHttpError() maps an AppError's code, reason, fields and retry delay", () => {
  const mapped = toHttpError(
    new AppError("conflict", "Port 10240 is in use", {
      reason: "port_in_use",
      fields: { port: "In use" },
      retryAfter: 2.2,
    }),
  );
  assert.deepEqual(mapped.status, 409);
  assert.deepEqual(mapped.code, "port_in_use");
  assert.deepEqual(mapped.fields, { port: "In use" });
  assert.deepEqual(mapped.headers, { "Retry-After": "3" });
  assert.deepEqual(toHttpError(new AppError("not_found", "Profile not found")).code, "not_found");
  assert.deepEqual(toHttpError(new Error("boom")).status, 500);
});

Deno.test("onError answers an AppError under /api as JSON with its status", async () => {
  const app = new Hono<AppEnv>();
  app.get("/api/thing", () => {
    throw new AppError("not_found", "Thing not found");
  });
  app.onError(onError);
  const res = await app.request("/api/thing");
  assert.deepEqual(res.status, 404);
  assert.deepEqual(await res.json(), { detail: "Thing not found", code: "not_found" });
});
