import assert from "node:assert/strict";
import { DOMParser } from "linkedom";
import { testRuntime } from "../../helpers/runtime.ts";
import { createUser } from "../../helpers/auth.ts";

async function loginPage(rt: Awaited<ReturnType<typeof testRuntime>>): Promise<Document> {
  const res = await rt.app.request("/login");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /text\/html/);
  return new DOMParser().parseFromString(await res.text(), "text/html") as unknown as Document;
}

Deno.test("GET /login on a fresh install says the first account becomes the admin, and links to Register", async () => {
  await using rt = await testRuntime();
  const doc = await loginPage(rt);
  const note = doc.querySelector("[data-testid=first-account]");
  assert.equal(
    note?.textContent?.trim(),
    "No account exists yet. Register: the first account becomes the admin.",
  );
  assert.equal(note?.querySelector("a")?.getAttribute("href"), "/register");
});

Deno.test("GET /login says nothing about a first account once one exists", async () => {
  await using rt = await testRuntime();
  await createUser(rt, { admin: true });
  const doc = await loginPage(rt);
  assert.equal(doc.querySelector("[data-testid=first-account]"), null);
  assert.ok(doc.querySelector("[data-testid=login-form]"));
});
