import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser } from "../../helpers/auth.ts";

Deno.test("the Chat page opens the user's own conversation and says so when ?c= names someone else's", async () => {
  await using rt = await testRuntime();
  const { admin, user } = await adminAndUser(rt);
  const mine = rt.deps.conversations.create(user.id, { title: "My own plans" });
  const theirs = rt.deps.conversations.create(admin.id, { title: "The admin's secret" });
  const notice = "That conversation does not exist or is not yours";

  const own = await rt.app.request(`/chat?c=${mine.id}`, { headers: user.headers });
  assert.equal(own.status, 200);
  const ownHtml = await own.text();
  assert.match(ownHtml, /My own plans/);
  assert.doesNotMatch(ownHtml, new RegExp(notice));

  const other = await rt.app.request(`/chat?c=${theirs.id}`, { headers: user.headers });
  assert.equal(other.status, 200);
  const otherHtml = await other.text();
  assert.match(otherHtml, new RegExp(notice));
  assert.doesNotMatch(otherHtml, /The admin's secret/);
});
