import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import { testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser } from "../../helpers/auth.ts";
import { macRunner } from "../../helpers/recorded_runner.ts";

Deno.test("the Upstreams page and its navbar link are for admins only", async () => {
  await using rt = await testRuntime();
  const { admin, user } = await adminAndUser(rt);
  const page = await rt.app.request("/upstreams", { headers: admin.headers });
  assert.equal(page.status, 200);
  const { document } = parseHTML(await page.text());
  assert.ok(document.querySelector("[data-testid=upstreams-manager]"));
  assert.ok(document.querySelector("nav a[href='/upstreams']"), "admins see the link");

  assert.equal((await rt.app.request("/upstreams", { headers: user.headers })).status, 403);
  const servers = parseHTML(await (await rt.app.request("/servers", { headers: user.headers })).text());
  assert.equal(servers.document.querySelector("a[href='/upstreams']"), null, "users do not");
});

Deno.test("the System page says when exo is the right tool, with this Mac's memory and exo's API port", async () => {
  await using rt = await testRuntime({
    platform: { os: "darwin", uid: 501, kernelRelease: "24.3.0", runner: macRunner() },
  });
  const { user } = await adminAndUser(rt);
  const { document } = parseHTML(await (await rt.app.request("/system", { headers: user.headers })).text());
  const note = document.querySelector("[data-testid=exo-note]")!.textContent!;
  assert.match(note, /One model that needs more than this Mac's \d+ GB/);
  assert.match(note, /add the others as upstreams;/);
  assert.match(note, /52415/);
  assert.match(note, /does not start exo or place its instances/);
  assert.ok(document.querySelector("[data-testid=exo-note] a[href='https://github.com/exo-explore/exo']"));
});

Deno.test("the dashboard lists the enabled upstreams as other machines, without their addresses", async () => {
  await using rt = await testRuntime();
  const { user } = await adminAndUser(rt);
  await rt.deps.upstreams.create({
    name: "studio",
    kind: "exo",
    base_url: "http://127.0.0.1:1/v1",
    models: ["llama-405b"],
    enabled: true,
  });
  await rt.deps.upstreams.create({
    name: "retired",
    kind: "openai",
    base_url: "http://127.0.0.1:2/v1",
    models: "discover",
    enabled: false,
  });
  const html = await (await rt.app.request("/servers", { headers: user.headers })).text();
  const { document } = parseHTML(html);
  const machines = [...document.querySelectorAll("[data-testid=remote-machine]")];
  assert.deepEqual(machines.map((m) => m.getAttribute("data-name")), ["studio"]);
  assert.match(machines[0].textContent!, /exo cluster/);
  assert.match(machines[0].textContent!, /llama-405b/);
  assert.equal(html.includes("127.0.0.1:1"), false);
});
