/**
 * `GET /api/models/local` on a large cache: a fake Hugging Face cache of 200
 * models (blobs, relative snapshot links, `refs/main`) in a temp folder,
 * listed by a manager (`main.ts serve`) as its own process, cold and warm in
 * paired alternating rounds. A cold round first touches every model's
 * `blobs/` folder, so each description is built again from the files; a warm
 * round lists an unchanged cache.
 *
 * Prints min/median/max of each side, the median of the paired warm/cold
 * ratios, and the manager's CPU per listing. Targets: cold < 120 ms, warm < 20 ms.
 * Also `GET /api/models/storage` (every blob of the cache counted), min/median/max.
 *
 * Run: deno run -A bench/local_models.ts [--rounds=9] [--models=200]
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { benchManager } from "./harness.ts";
import { cpuSeconds, formatSummary, pairedRatio, pairedRounds, report, summarize } from "./stats.ts";

const args = parseArgs({
  args: Deno.args,
  options: { rounds: { type: "string", default: "9" }, models: { type: "string", default: "200" } },
});
const rounds = Number(args.values.rounds);
const count = Number(args.values.models);

const CONFIG = JSON.stringify({
  model_type: "qwen3",
  architectures: ["Qwen3ForCausalLM"],
  hidden_size: 4096,
  num_hidden_layers: 36,
  num_attention_heads: 32,
  num_key_value_heads: 8,
  max_position_embeddings: 40960,
  quantization: { group_size: 64, bits: 4 },
});

/** Writes one model the way huggingface_hub does: 6 files, one of them nested. */
async function writeModel(cache: string, index: number): Promise<string> {
  const repo = join(cache, `models--bench-org--model-${index}-4bit`);
  const commit = index.toString(16).padStart(40, "a");
  const files: Record<string, string> = {
    "config.json": CONFIG,
    "tokenizer.json": `{"model":${index}}`,
    "tokenizer_config.json": "{}",
    "model-00001-of-00002.safetensors": "w".repeat(2048 + index),
    "model-00002-of-00002.safetensors": "x".repeat(1024),
    "vision/preprocessor.json": "{}",
  };
  await Deno.mkdir(join(repo, "blobs"), { recursive: true });
  await Deno.mkdir(join(repo, "refs"), { recursive: true });
  let n = 0;
  for (const [path, content] of Object.entries(files)) {
    const blob = `${index}${"0".repeat(30)}${n++}`;
    await Deno.writeTextFile(join(repo, "blobs", blob), content);
    const link = join(repo, "snapshots", commit, ...path.split("/"));
    await Deno.mkdir(join(link, ".."), { recursive: true });
    await Deno.symlink(`${"../".repeat(1 + path.split("/").length)}blobs/${blob}`, link);
  }
  await Deno.writeTextFile(join(repo, "refs", "main"), commit);
  return repo;
}

const cache = await Deno.makeTempDir({ prefix: "hf-cache-bench-" });
const repos: string[] = [];
for (let i = 0; i < count; i++) repos.push(await writeModel(cache, i));
const manager = await benchManager({ env: { HF_HUB_CACHE: cache } });

interface Sample {
  ms: number;
  cpuMs: number;
}

async function list(): Promise<Sample> {
  const cpu = await cpuSeconds(manager.pid);
  const started = performance.now();
  const models = await manager.api("GET", "/api/models/local") as unknown[];
  const ms = performance.now() - started;
  if (models.length !== count) throw new Error(`Listed ${models.length} models, expected ${count}`);
  return { ms, cpuMs: (await cpuSeconds(manager.pid) - cpu) * 1000 };
}

let touches = 0;
/** Changes every model's `blobs/` folder time, so no description can be reused. */
async function touchAll(): Promise<void> {
  const at = new Date(Date.now() - 1000 * ++touches);
  await Promise.all(repos.map((repo) => Deno.utime(join(repo, "blobs"), at, at)));
}

try {
  await list(); // the first request also loads the routes and the database
  const { a: cold, b: warm } = await pairedRounds(rounds, async () => {
    await touchAll();
    return await list();
  }, list);
  report(`local models: GET /api/models/local with ${count} models, ${rounds} paired rounds`);
  report(`  cold:              ${formatSummary(summarize(cold.map((s) => s.ms)), "ms")} (target < 120 ms)`);
  report(`  warm:              ${formatSummary(summarize(warm.map((s) => s.ms)), "ms")} (target < 20 ms)`);
  report(`  warm/cold ratio:   ${formatSummary(pairedRatio(cold, warm, (s) => s.ms), "", 3)}`);
  report(`  manager CPU cold:  ${formatSummary(summarize(cold.map((s) => s.cpuMs)), "ms", 0)}`);
  report(`  manager CPU warm:  ${formatSummary(summarize(warm.map((s) => s.cpuMs)), "ms", 0)}`);
  const storage: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await manager.api("GET", "/api/models/storage");
    storage.push(performance.now() - started);
  }
  report(`  GET /api/models/storage: ${formatSummary(summarize(storage), "ms")}`);
} finally {
  await manager.stop();
  await Deno.remove(cache, { recursive: true });
}
