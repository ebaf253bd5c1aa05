import assert from "node:assert/strict";
import { limitText, toolOutput } from "../../../services/mcp/results.ts";

Deno.test("toolOutput() joins text, includes text resources, describes images and links, marks errors", () => {
  const out = toolOutput({
    content: [
      { type: "text", text: "here" },
      { type: "image", data: btoa("x".repeat(3000)), mimeType: "image/png" },
      { type: "resource", resource: { uri: "file:///n.txt", text: "body" } },
      { type: "resource_link", uri: "file:///b.bin", name: "b.bin" },
    ],
  }, 1000);
  assert.equal(
    out.content,
    "here\n[image: image/png, 3 KB]\n[resource: file:///n.txt]\nbody\n[resource: file:///b.bin (b.bin)]",
  );
  assert.equal(out.isError, false);
  assert.deepEqual(toolOutput({ content: [], structuredContent: { a: 1 } }, 100).content, '{"a":1}');
  assert.deepEqual(toolOutput({ content: [{ type: "text", text: "boom" }], isError: true }, 100), {
    content: "Error: boom",
    isError: true,
    truncated: false,
  });
});

Deno.test("limitText() cuts at the limit and says how much was shown", () => {
  assert.deepEqual(limitText("abc", 3), { text: "abc", truncated: false });
  assert.deepEqual(limitText("abcdef", 3), {
    text: "abc\n[output truncated: 3 of 6 characters shown]",
    truncated: true,
  });
});
