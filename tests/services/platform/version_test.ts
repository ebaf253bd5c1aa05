import assert from "node:assert/strict";
import { parseServerVersion } from "../../../services/platform/version.ts";

Deno.test("parseServerVersion() reads the version line of the --version banner", () => {
  assert.equal(parseServerVersion("✨ MLX Server v1.5.1 ✨\n🚀 Version: 1.5.1\n"), "1.5.1");
  assert.equal(parseServerVersion("Version:1.10.0"), "1.10.0");
  assert.equal(parseServerVersion("Version:1.7.0."), "1.7.0", "a trailing full stop is not part of it");
  assert.equal(parseServerVersion("Version: 2"), "2");
  assert.equal(parseServerVersion("mlx-openai-server, version unknown"), null);
});
