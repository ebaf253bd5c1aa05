import assert from "node:assert/strict";
import { SELF_REASON, userActions, type UserItem } from "../../lib/user_actions.ts";

const user = (over: Partial<UserItem> = {}): UserItem => ({
  id: 2,
  email: "bob@example.com",
  is_admin: false,
  status: "approved",
  created_at: "2026-01-01T00:00:00Z",
  ...over,
});

Deno.test("userActions() offers what fits each status and role, in button order", () => {
  const labels = (u: UserItem) => userActions(u, 1).map((a) => a.label);
  assert.deepEqual(labels(user({ status: "pending" })), ["Approve", "Make admin", "Delete"]);
  assert.deepEqual(labels(user()), ["Disable", "Make admin", "Delete"]);
  assert.deepEqual(labels(user({ status: "disabled", is_admin: true })), [
    "Re-enable",
    "Remove admin",
    "Delete",
  ]);
});

Deno.test("userActions() describes each API call and its toast", () => {
  const [disable, promote, remove] = userActions(user(), 1);
  assert.deepEqual([disable.method, disable.body, disable.done], [
    "PUT",
    { status: "disabled" },
    "bob@example.com disabled",
  ]);
  assert.deepEqual([promote.method, promote.body], ["PUT", { is_admin: true }]);
  assert.deepEqual([remove.method, remove.body, remove.danger], ["DELETE", undefined, true]);
  assert.equal(remove.message, "Delete bob@example.com? This cannot be undone.");
});

Deno.test("userActions() never lets an admin disable, demote or delete themselves", () => {
  const me = user({ id: 1, is_admin: true });
  const actions = userActions(me, 1);
  const unavailable = actions.filter((a) => a.unavailable).map((a) => a.label);
  assert.deepEqual(unavailable, ["Disable", "Remove admin", "Delete"]);
  assert.ok(actions.every((a) => !a.unavailable || a.unavailable === SELF_REASON));
  assert.match(actions[0].message, /your own account/);
  assert.equal(userActions(user(), 1).some((a) => a.unavailable), false);
});
