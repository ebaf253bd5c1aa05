import assert from "node:assert/strict";
import { applyChatDefaults } from "../../../services/chat/profile_defaults.ts";

const sampling = { temperature: 0.7, top_p: 0.9, max_tokens: 256 };

Deno.test("applyChatDefaults() fills only the fields a request leaves unset", () => {
  const options: Record<string, unknown> = { temperature: 0, max_tokens: null };
  const messages = [{ role: "user", content: "hi" }];
  applyChatDefaults(messages, options, { systemPrompt: null, sampling });
  // 0 is a choice, not a gap; null is a gap.
  assert.deepEqual(options, { temperature: 0, top_p: 0.9, max_tokens: 256 });
  assert.deepEqual(messages, [{ role: "user", content: "hi" }]);
});

Deno.test("applyChatDefaults() puts the system prompt first unless the conversation has a system or developer message", () => {
  const plain = [{ role: "user", content: "hi" }];
  applyChatDefaults(plain, {}, { systemPrompt: "Be brief" });
  assert.deepEqual(plain, [{ role: "system", content: "Be brief" }, { role: "user", content: "hi" }]);
  for (const role of ["system", "developer"]) {
    const own = [{ role, content: "Mine" }, { role: "user", content: "hi" }];
    applyChatDefaults(own, {}, { systemPrompt: "Be brief" });
    assert.deepEqual(own.map((m) => m.content), ["Mine", "hi"]);
  }
  const blank = [{ role: "user", content: "hi" }];
  applyChatDefaults(blank, {}, { systemPrompt: "   " });
  assert.equal(blank.length, 1);
});
