import assert from "node:assert/strict";
import type { ChatTarget } from "../../../services/chat/targets.ts";
import type { ChatTargetInfo } from "../../../lib/chat/types.ts";
import { StaticTargets } from "../../helpers/static_targets.ts";
import { testRuntime } from "../../helpers/runtime.ts";
import { adminAndUser } from "../../helpers/auth.ts";

function target(profileId: number, name: string, modelType: string, state = "running"): ChatTarget {
  return {
    profileId,
    name,
    modelId: `org/${name}`,
    modelType,
    systemPrompt: null,
    state,
    baseUrl: null,
  };
}

Deno.test("GET /api/chat/targets lists only profiles whose model type chats (lm, multimodal)", async () => {
  await using rt = await testRuntime({
    runtime: {
      chatTargets: new StaticTargets([
        target(1, "embedder", "embeddings"),
        target(2, "vision", "multimodal"),
        target(3, "whisper", "whisper"),
        target(4, "text", "lm", "stopped"),
        target(5, "painter", "image-generation"),
      ]),
    },
  });
  const { user } = await adminAndUser(rt);
  const res = await rt.app.request("/api/chat/targets", { headers: user.headers });
  assert.equal(res.status, 200);
  const list = await res.json() as ChatTargetInfo[];
  assert.deepEqual(list.map((t) => [t.name, t.model_type]), [["text", "lm"], ["vision", "multimodal"]]);

  // The page lists the same, in its server-rendered props.
  const page = await rt.app.request("/chat", { headers: user.headers });
  const html = await page.text();
  assert.match(html, /vision/);
  assert.doesNotMatch(html, /embedder|whisper|painter/);
});
