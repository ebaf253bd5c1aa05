import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import { PAYLOAD_ID } from "../../lib/islands/payload.ts";
import { adminAndUser } from "../helpers/auth.ts";
import { testRuntime } from "../helpers/runtime.ts";

/** The props of the page's PendingBadge island, or null when the page has none. */
async function pendingBadge(res: Response): Promise<Record<string, unknown> | null> {
  const { document } = parseHTML(await res.text());
  const root = document.querySelector('x-island[data-island="PendingBadge"]');
  if (!root) return null;
  const payload = JSON.parse(document.getElementById(PAYLOAD_ID)!.textContent!);
  return payload.props[Number(root.getAttribute("data-props"))];
}

Deno.test("renderPage() shows admins the number of accounts waiting for approval, and users no badge", async () => {
  await using rt = await testRuntime();
  const { admin, user } = await adminAndUser(rt);
  await rt.deps.accounts.register({ email: "waiting@example.com", password: "correct horse battery" });
  assert.deepEqual(await pendingBadge(await rt.app.request("/servers", { headers: admin.headers })), {
    initial: 1,
  });
  assert.equal(await pendingBadge(await rt.app.request("/servers", { headers: user.headers })), null);
});
