import assert from "node:assert/strict";
import type { Profile } from "../../../lib/profile_types.ts";
import type { RemoteTarget } from "../../../services/upstreams/mod.ts";
import type { UpstreamModel } from "../../../lib/upstream_types.ts";
import { type Source, sourceAllowed, sourcesFor } from "../../../services/gateway/sources.ts";
import { catalog } from "../../../services/gateway/catalog.ts";

const profile = (id: number, name: string, aliases: string[] = []) =>
  ({
    id,
    name,
    aliases,
    model_type: "lm",
    model_path: "org/m",
    created_at: "2026-01-01T00:00:00Z",
  }) as unknown as Profile;

const model = (id: string, loaded: boolean | null = null): UpstreamModel => ({
  id,
  loaded,
  model_type: null,
  state: null,
  memory_bytes: null,
  in_flight: null,
  alias_of: null,
});

const remote = (
  id: number,
  name: string,
  state: RemoteTarget["state"],
  models: UpstreamModel[],
): RemoteTarget => ({
  id,
  name,
  kind: "mlx-manager",
  baseUrl: `http://${name}.local:8080/v1`,
  state,
  models,
});

const where = (sources: Source[]) =>
  sources.map((s) => s.type === "local" ? `local:${s.profile.name}` : `${s.upstream.name}:${s.model.id}`);

Deno.test("sourcesFor() tries the loaded source, then the local profile, then online upstreams in order", () => {
  const profiles = [profile(1, "qwen")];
  const remotes = [
    remote(1, "offline-mac", "offline", [model("qwen")]),
    remote(2, "laptop", "online", [model("qwen", false)]),
    remote(3, "studio", "online", [model("qwen", true)]),
    remote(4, "refused", "auth_failed", [model("qwen")]),
  ];
  const stopped = { profiles, remotes, state: () => "stopped" as const };
  assert.deepEqual(where(sourcesFor("QWEN", stopped)), [
    "studio:qwen",
    "local:qwen",
    "laptop:qwen",
    "offline-mac:qwen",
    "refused:qwen",
  ]);
  const running = { ...stopped, state: () => "running" as const };
  assert.deepEqual(where(sourcesFor("qwen", running)).slice(0, 2), ["local:qwen", "studio:qwen"]);
  assert.deepEqual(where(sourcesFor("laptop/qwen", running)), ["laptop:qwen"], "a qualified name says where");
  assert.deepEqual(where(sourcesFor("studio/llama", running)), [], "unknown there");
  assert.deepEqual(where(sourcesFor("Studio/QWEN", running)), ["studio:qwen"], "names compare without case");
});

Deno.test("sourceAllowed() lets a key that lists a remote model by qualified or bare name use it", () => {
  const [source] = sourcesFor("studio/qwen", {
    profiles: [],
    state: () => "stopped",
    remotes: [remote(1, "studio", "online", [model("qwen")])],
  });
  assert.equal(sourceAllowed(null, source), true);
  assert.equal(sourceAllowed([], source), true);
  assert.equal(sourceAllowed(["STUDIO/qwen"], source), true);
  assert.equal(sourceAllowed(["qwen"], source), true);
  assert.equal(sourceAllowed(["laptop/qwen", "llama"], source), false);
});

Deno.test("catalog() lists a remote model by its bare name only when no profile and no other upstream has it", () => {
  const entries = catalog(null, {
    profiles: [profile(1, "coder", ["qwen-coder"])],
    status: () => ({ state: "running", memory_bytes: 42, in_flight: 1 }),
    remotes: [
      remote(1, "studio", "online", [model("llama"), model("shared"), model("qwen-coder")]),
      remote(2, "laptop", "offline", [model("shared")]),
    ],
  });
  assert.deepEqual(entries.map((e) => e.id), [
    "coder",
    "qwen-coder",
    "studio/llama",
    "llama",
    "studio/shared",
    "studio/qwen-coder",
    "laptop/shared",
  ]);
  const local = entries[0].mlx_manager as { memory_bytes: number; in_flight: number };
  assert.equal(local.memory_bytes, 42, "a peer's dashboard reads its memory from here");
  assert.equal(local.in_flight, 1);
  const bare = entries[3].mlx_manager as { alias_of: string; upstream: string; remote_id: string };
  assert.deepEqual([bare.alias_of, bare.upstream, bare.remote_id], ["studio/llama", "studio", "llama"]);
  assert.deepEqual(
    catalog(["llama"], {
      profiles: [],
      status: () => ({ state: "stopped", memory_bytes: null, in_flight: 0 }),
      remotes: [remote(1, "studio", "online", [model("llama"), model("x")])],
    }).map((e) => e.id),
    ["studio/llama", "llama"],
  );
});
