import assert from "node:assert/strict";
import { testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser } from "../../helpers/auth.ts";
import { macRunner } from "../../helpers/recorded_runner.ts";
import { fakeServerOf } from "../../helpers/versions.ts";
import { DOMParser } from "linkedom";

Deno.test("the System page shows the machine, the versions and the live monitor, without inline styles", async () => {
  const rt = await testRuntime({
    platform: { os: "darwin", uid: 501, kernelRelease: "24.3.0", runner: macRunner() },
  });
  const { user } = await adminAndUser(rt);
  const res = await rt.app.request("/system", { headers: user.headers });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /text\/html/);
  const html = await res.text();
  assert.match(html, /Apple M3 Max/);
  assert.match(html, /macOS 15\.3\.1 \(24D70\)/);
  assert.match(html, /data-testid="memory-used"[^>]*>41\.6 GB/);
  assert.match(html, /data-testid="gpu-utilization"[^>]*>87/);
  assert.match(html, /Not found/, "the model server is not installed on this test machine");
  assert.match(html, /SystemMonitor/);
  assert.doesNotMatch(html, /\sstyle=/);
  await rt.close();
});

Deno.test("the System page needs a session", async () => {
  const rt = await testRuntime();
  const res = await rt.app.request("/system");
  assert.equal(res.status, 302);
  assert.equal(res.headers.get("location"), "/login?next=%2Fsystem");
  await rt.close();
});

Deno.test("the System page names the installed mlx-openai-server and what upgrading an older one would add", async () => {
  for (const [version, upgrades] of [["1.5.1", true], ["1.8.1", false]] as const) {
    const rt = await testRuntime({ env: { MLX_MANAGER_MLX_SERVER: fakeServerOf(version) } });
    try {
      const { user } = await adminAndUser(rt);
      const doc = new DOMParser().parseFromString(
        await (await rt.app.request("/system", { headers: user.headers })).text(),
        "text/html",
      );
      const cell = doc.querySelector('[data-testid="server-version"]')!;
      assert.match(cell.textContent!, new RegExp(`^${version.replaceAll(".", "\\.")}`));
      const notes = cell.querySelector('[data-testid="server-upgrades"]');
      assert.equal(notes !== null, upgrades);
      if (notes) {
        assert.match(notes.textContent!, /pip install -U mlx-openai-server/);
        assert.match(notes.textContent!, /1\.8\.0: continuous batching \(several requests served at once\)/);
        assert.match(notes.textContent!, /1\.7\.0: a served model name/);
        assert.doesNotMatch(notes.textContent!, /1\.5\.1:/, "nothing it has already");
      }
    } finally {
      await rt.close();
    }
  }
});
