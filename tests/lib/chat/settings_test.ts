import assert from "node:assert/strict";
import {
  blankSettings,
  restoreSettings,
  samplingFields,
  storedSettings,
} from "../../../lib/chat/settings.ts";

Deno.test("storedSettings() keeps all but the system prompt, and restoreSettings() reads it back", () => {
  const settings = { ...blankSettings("Be brief"), temperature: "0.7", stop: "END", tools: true };
  const saved = storedSettings(settings);
  assert.equal(JSON.parse(saved).systemPrompt, undefined);
  assert.deepEqual(restoreSettings(saved, "Other prompt"), { ...settings, systemPrompt: "Other prompt" });
});

Deno.test("restoreSettings() gives blank settings for nothing saved or unreadable text", () => {
  assert.deepEqual(restoreSettings(null, "p"), blankSettings("p"));
  assert.deepEqual(restoreSettings("{not json", "p"), blankSettings("p"));
  assert.deepEqual(restoreSettings("[1,2]", "p"), blankSettings("p"));
  assert.deepEqual(restoreSettings('"text"', "p"), blankSettings("p"));
});

Deno.test("samplingFields() reads numbers and stop lines, and names the first field out of range", () => {
  assert.deepEqual(
    samplingFields({ ...blankSettings(""), temperature: "0", topP: "0.9", maxTokens: "64", stop: "a\n\nb" }),
    { temperature: 0, top_p: 0.9, max_tokens: 64, stop: ["a", "b"] },
  );
  assert.equal(samplingFields({ ...blankSettings(""), topP: "0" }), "top_p must be a number from 0.01 to 1");
  assert.equal(
    samplingFields({ ...blankSettings(""), maxTokens: "2.5" }),
    "max_tokens must be a whole number from 1 to 1000000",
  );
  assert.equal(
    samplingFields({ ...blankSettings(""), stop: "a\nb\nc\nd\ne" }),
    "Give at most 4 stop sequences",
  );
});
