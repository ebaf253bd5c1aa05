import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../../lib/paths.ts";

const workflow = Deno.readTextFileSync(join(ROOT, ".github", "workflows", "release.yml"));

Deno.test("the release workflow builds macOS arm64 and Linux x64 binaries on tags with the pinned Deno", () => {
  assert.match(workflow, /on:\n {2}push:\n {4}tags: \["v\*"\]/);
  assert.match(workflow, /uses: denoland\/setup-deno@v2\n\s+with:\n\s+deno-version: 2\.9\.6/);
  for (const target of ["aarch64-apple-darwin", "x86_64-unknown-linux-gnu"]) {
    assert.match(workflow, new RegExp(`target: ${target}`));
  }
  assert.match(workflow, /deno task compile --target \$\{\{ matrix\.target \}\}/);
  assert.match(workflow, /gh release create "\$GITHUB_REF_NAME"/);
  assert.doesNotMatch(workflow, /\t/, "YAML must be indented with spaces");
});

Deno.test("the workflow pins the same Deno version as CI", () => {
  const ci = Deno.readTextFileSync(join(ROOT, ".ci", "run"));
  const pinned = ci.match(/DENO_VERSION=([\d.]+)/)![1];
  assert.match(workflow, new RegExp(`deno-version: ${pinned.replaceAll(".", "\\.")}\\n`));
});
