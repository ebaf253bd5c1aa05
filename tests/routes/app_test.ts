import assert from "node:assert/strict";
import { Hono } from "hono";
import { testRuntime } from "../helpers/runtime.ts";
import { HttpError } from "../../lib/errors.ts";
import { createUser } from "../helpers/auth.ts";

Deno.test("GET /health answers healthy without a session", async () => {
  const rt = await testRuntime();
  const res = await rt.app.request("/health");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /application\/json/);
  assert.deepEqual(await res.json(), { status: "healthy" });
  await rt.close();
});

Deno.test("an unknown /api path answers 404 JSON, an unknown page answers an HTML page", async () => {
  const rt = await testRuntime();
  const { headers } = await createUser(rt, { admin: true });
  const api = await rt.app.request("/api/nothing-here", { headers });
  assert.equal(api.status, 404);
  assert.match(api.headers.get("content-type")!, /application\/json/);
  assert.deepEqual(await api.json(), { detail: "Not found" });
  const page = await rt.app.request("/nothing-here", { headers });
  assert.equal(page.status, 404);
  assert.match(page.headers.get("content-type")!, /text\/html/);
  assert.match(await page.text(), /There is no page at \/nothing-here/);
  await rt.close();
});

Deno.test("errors thrown by handlers are mapped once: typed errors keep status, others become 500", async () => {
  const logs: string[] = [];
  const rt = await testRuntime({ logs });
  const extra = new Hono();
  extra.get("/typed", () => {
    throw new HttpError(409, "Port 10240 is in use", {
      fields: { port: "in use" },
    });
  });
  extra.get("/boom", () => {
    throw new Error("secret internals");
  });
  // Mount test routes in front of the app's own, sharing its error handler.
  rt.app.route("/api/test", extra);
  const { headers } = await createUser(rt, { admin: true });
  const typed = await rt.app.request("/api/test/typed", { headers });
  assert.equal(typed.status, 409);
  assert.deepEqual(await typed.json(), {
    detail: "Port 10240 is in use",
    fields: { port: "in use" },
  });
  const boom = await rt.app.request("/api/test/boom", { headers });
  assert.equal(boom.status, 500);
  assert.deepEqual(await boom.json(), { detail: "Internal server error" });
  assert.ok(
    logs.some((l) => l.includes("ERROR") && l.includes("secret internals")),
  );
  await rt.close();
});
