import assert from "node:assert/strict";
import { withProfileDefaults } from "../../../services/gateway/defaults.ts";

const profile = { system_prompt: "Be brief.", temperature: 0.3, top_p: 0.8, max_tokens: 64 };
const unset = { system_prompt: null, temperature: null, top_p: null, max_tokens: null };

Deno.test("withProfileDefaults() fills the sampling and system prompt a chat request leaves unset", () => {
  const body = { model: "coder", messages: [{ role: "user", content: "hi" }], top_p: null };
  assert.deepEqual(withProfileDefaults(body, profile), {
    model: "coder",
    messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "hi" }],
    temperature: 0.3,
    top_p: 0.8,
    max_tokens: 64,
  });
  assert.deepEqual(body.messages, [{ role: "user", content: "hi" }], "the request's own body is not changed");
});

Deno.test("withProfileDefaults() never overrides what the client set", () => {
  const body = {
    model: "coder",
    messages: [{ role: "developer", content: "Mine" }, { role: "user", content: "hi" }],
    temperature: 0,
    top_p: 1,
    max_completion_tokens: 10,
  };
  // max_completion_tokens is the client's own limit under OpenAI's newer name.
  assert.equal(withProfileDefaults(body, profile), body);
  const system = { model: "coder", messages: [{ role: "system", content: "Mine" }], max_tokens: 5 };
  assert.deepEqual(withProfileDefaults(system, profile), { ...system, temperature: 0.3, top_p: 0.8 });
});

Deno.test("withProfileDefaults() gives back the same body when the profile sets nothing", () => {
  const body = { model: "coder", messages: [{ role: "user", content: "hi" }] };
  assert.equal(withProfileDefaults(body, unset), body);
  const noMessages = { model: "coder", prompt: "x" };
  assert.deepEqual(withProfileDefaults(noMessages, { ...unset, system_prompt: "Be brief." }), noMessages);
});
