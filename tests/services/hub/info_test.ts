import assert from "node:assert/strict";
import { contextLength, stripFrontMatter } from "../../../services/hub/info.ts";

Deno.test("stripFrontMatter() removes the YAML block at the top only", () => {
  assert.equal(stripFrontMatter("---\nlicense: mit\ntags: [mlx]\n---\n\n# Title\n"), "# Title\n");
  assert.equal(stripFrontMatter("\uFEFF---\r\nlicense: mit\r\n---\r\nBody"), "Body");
  assert.equal(stripFrontMatter("# Title\n\n---\n\nmore"), "# Title\n\n---\n\nmore");
  // An unclosed block is not front matter.
  assert.equal(stripFrontMatter("---\nnot closed"), "---\nnot closed");
});

Deno.test("contextLength() reads max_position_embeddings, a vision model's text_config, then other names", () => {
  assert.equal(contextLength({ max_position_embeddings: 40960 }), 40960);
  assert.equal(contextLength({ text_config: { max_position_embeddings: 262144 } }), 262144);
  assert.equal(contextLength({ seq_length: 2048 }), 2048);
  assert.equal(contextLength({ max_position_embeddings: "big" }), null);
  assert.equal(contextLength({}), null);
  assert.equal(contextLength(null), null);
});
