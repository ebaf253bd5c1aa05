import assert from "node:assert/strict";
import { testRuntime } from "./runtime.ts";

Deno.test("testRuntime() is disposed at the end of its scope: its data dir is removed", async () => {
  let dataDir = "";
  {
    await using rt = await testRuntime();
    dataDir = rt.dataDir;
    assert.equal((await Deno.stat(dataDir)).isDirectory, true);
    assert.equal((await rt.app.request("/health")).status, 200);
  }
  await assert.rejects(Deno.stat(dataDir), Deno.errors.NotFound);
});
