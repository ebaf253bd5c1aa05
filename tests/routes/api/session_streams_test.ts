import assert from "node:assert/strict";
import { listen, testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser, createUser, json, type TestUser } from "../../helpers/auth.ts";
import { createProfile, modelDir, serverEnv } from "../../helpers/servers.ts";
import { recordWaiter } from "../../helpers/fake_server.ts";
import { sseBlocks } from "../../helpers/sse.ts";
import { waitFor } from "../../helpers/net.ts";

/**
 * Opens an SSE stream and reads it in the background; `ended` settles when the server ends it.
 * `opened` aborts every stream a test opened, at its end (a server's shutdown waits for them).
 */
async function openStream(opened: AbortController, url: string, user: TestUser, init: RequestInit = {}) {
  const res = await fetch(url, {
    ...init,
    headers: { ...user.headers, ...init.headers },
    signal: opened.signal,
  });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  const blocks = sseBlocks(res, opened.signal);
  const seen: string[] = [];
  const ended = (async () => {
    for await (const block of blocks) seen.push(block.data ?? "");
    return performance.now();
  })();
  await waitFor(() => seen.length > 0, "the stream's first message");
  return { ended, seen };
}

/** Resolves with how long after `t0` the stream ended, or rejects after 1 s. */
async function endsWithinASecond(
  stream: { ended: Promise<number> },
  t0: number,
  what: string,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) =>
    timer = setTimeout(() => reject(new Error(`${what} still open 1 s later`)), 1000)
  );
  try {
    const at = await Promise.race([stream.ended, late]);
    assert.ok(at - t0 < 1000);
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("signing out ends the user's event, log and chat streams within a second, and nobody else's", async () => {
  await using rt = await testRuntime({ env: serverEnv({ MLX_MANAGER_SSE_KEEPALIVE: "30" }) });
  await rt.start();
  const { admin, user } = await adminAndUser(rt);
  const other = await createUser(rt);
  const recordFile = `${rt.dataDir}/record.jsonl`;
  await Deno.writeTextFile(recordFile, "");
  const waitForRecord = recordWaiter(async () =>
    (await Deno.readTextFile(recordFile)).split("\n").filter(Boolean).map((l) => JSON.parse(l))
  );
  const profile = await createProfile(rt, admin, {
    model_path: await modelDir(rt.dataDir, {
      load_delay_ms: 0,
      token_delay_ms: 200,
      reply: "word ".repeat(200),
      record: recordFile,
    }),
  });
  const server = listen(rt);
  const opened = new AbortController();
  try {
    const started = await rt.app.request(`/api/servers/${profile.id}/start?wait=true`, {
      method: "POST",
      headers: admin.headers,
    });
    assert.equal(started.status, 200);
    const events = await openStream(opened, `${server.url}/api/events`, user);
    const logs = await openStream(opened, `${server.url}/api/servers/${profile.id}/logs`, user);
    const chat = await openStream(
      opened,
      `${server.url}/api/chat/completions`,
      user,
      json("POST", { profile_id: profile.id, messages: [{ role: "user", content: "Talk" }] }),
    );
    const bystander = await openStream(opened, `${server.url}/api/events`, other);
    await waitForRecord((r) => r.event === "request");

    const t0 = performance.now();
    const out = await fetch(`${server.url}/api/auth/logout`, { method: "POST", headers: user.headers });
    assert.equal(out.status, 204);
    await endsWithinASecond(events, t0, "the event stream");
    await endsWithinASecond(logs, t0, "the log stream");
    await endsWithinASecond(chat, t0, "the chat stream");
    await waitForRecord((r) => r.event === "client_closed");
    // Another user's stream goes on.
    rt.deps.bus.publish("notice", { message: "still here", kind: "info" });
    await waitFor(
      () => bystander.seen.some((d) => d.includes("still here")),
      "the other user's stream goes on",
    );
    assert.equal(rt.deps.sessions.size, 1);
  } finally {
    opened.abort();
    await server.stop();
  }
});

Deno.test("disabling or deleting a user, or making an admin a user, ends their event streams within a second", async () => {
  await using rt = await testRuntime({ env: { MLX_MANAGER_SSE_KEEPALIVE: "30" } });
  const { admin, user } = await adminAndUser(rt);
  const second = await createUser(rt, { admin: true });
  const doomed = await createUser(rt);
  const server = listen(rt);
  const opened = new AbortController();
  try {
    const { accounts } = rt.deps;
    const disabled = await openStream(opened, `${server.url}/api/events`, user);
    const deleted = await openStream(opened, `${server.url}/api/events`, doomed);
    const demoted = await openStream(opened, `${server.url}/api/events`, second);

    let t0 = performance.now();
    accounts.update(admin.id, user.id, { status: "disabled" });
    await endsWithinASecond(disabled, t0, "a disabled user's stream");

    t0 = performance.now();
    accounts.remove(doomed.id);
    await endsWithinASecond(deleted, t0, "a deleted user's stream");

    // Its events were filtered for an admin: the browser reconnects and gets a user's.
    t0 = performance.now();
    accounts.update(admin.id, second.id, { is_admin: false });
    await endsWithinASecond(demoted, t0, "a demoted admin's stream");
    assert.equal(rt.deps.sessions.size, 0);
  } finally {
    opened.abort();
    await server.stop();
  }
});
