/**
 * Runs the fake hub in its own process for benchmarks, so the benchmark's own
 * polling never slows the hub down. Prints one JSON line when ready:
 * `{"url", "commit", "paths"}`; stops on SIGTERM.
 *
 * Run: deno run -A bench/fake_hub_server.ts <repo id> <total MB> <shards>
 *
 * @module
 */
import { startFakeHub } from "../tests/fixtures/fake_hub.ts";

const [repo, totalMb, shards] = [Deno.args[0], Number(Deno.args[1]), Number(Deno.args[2])];
const shard = Math.floor((totalMb * 1024 * 1024) / shards);
const hub = startFakeHub([{
  id: repo,
  files: [
    { path: "config.json", content: JSON.stringify({ model_type: "qwen3", quantization: { bits: 4 } }) },
    ...Array.from({ length: shards }, (_, i) => ({
      path: `model-${String(i + 1).padStart(5, "0")}-of-${String(shards).padStart(5, "0")}.safetensors`,
      size: shard,
    })),
  ],
}]);
Deno.addSignalListener("SIGTERM", async () => {
  await hub.close();
  Deno.exit(0);
});
// deno-lint-ignore no-console
console.log(JSON.stringify({ url: hub.url, commit: hub.commit(repo), paths: hub.paths(repo) }));
