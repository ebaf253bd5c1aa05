import assert from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";
import * as islands from "../../islands/mod.ts";
import { ROOT } from "../../lib/paths.ts";
import { islandFiles } from "../../tasks/build.ts";

const ISLANDS_DIR = join(ROOT, "islands");

Deno.test("islands/mod.ts lists every island file under its own name, and nothing else", () => {
  const files = islandFiles().map((f) => f.replace(/\.tsx$/, ""));
  assert.ok(files.length > 0);
  assert.deepEqual(Object.keys(islands).sort(), files);
  const source = Deno.readTextFileSync(join(ISLANDS_DIR, "mod.ts"));
  for (const name of files) {
    assert.match(
      source,
      new RegExp(`export \\{ default as ${name} \\} from "\\./${name}\\.tsx";`),
    );
  }
});

const FORBIDDEN = [/^node:/, /^npm:/, /^(jsr|https?):/];
const FORBIDDEN_DIRS = ["services", "db", "routes"];
const ALLOWED_PACKAGES = new Set([
  "preact",
  "preact/hooks",
  "@preact/signals",
  "preact/jsx-runtime",
  "markdown-it",
]);

/** Browser-safe packages whose subpaths islands may import (one module a language). */
const ALLOWED_PREFIXES = ["highlight.js/lib/"];

function importsOf(file: string): string[] {
  const source = Deno.readTextFileSync(file);
  const specifiers = [
    ...source.matchAll(
      /(?:import|export)\s[^"';]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g,
    ),
  ];
  return specifiers.map((m) => m[1] ?? m[2]);
}

/** Walks the local import graph of every island under `root` and checks each import. */
function violations(root = ROOT): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  const queue = islandFiles(root).map((f) => join(root, "islands", f));
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of importsOf(file)) {
      const where = `${relative(root, file)} imports "${spec}"`;
      if (spec.startsWith(".")) {
        const target = resolve(dirname(file), spec);
        const top = relative(root, target).split("/")[0];
        if (FORBIDDEN_DIRS.includes(top)) found.push(where);
        else queue.push(target);
      } else if (
        FORBIDDEN.some((re) => re.test(spec)) ||
        !(ALLOWED_PACKAGES.has(spec) || ALLOWED_PREFIXES.some((p) => spec.startsWith(p)))
      ) {
        found.push(where);
      }
    }
  }
  return found;
}

Deno.test("islands import no server code, directly or through their imports", () => {
  assert.deepEqual(violations(), []);
});

Deno.test("the island import check catches server code reached through a helper", () => {
  const root = Deno.makeTempDirSync();
  try {
    Deno.mkdirSync(join(root, "islands"));
    Deno.mkdirSync(join(root, "lib"));
    Deno.writeTextFileSync(
      join(root, "islands", "Leaky.tsx"),
      'import { x } from "../lib/helper.ts";\n',
    );
    Deno.writeTextFileSync(
      join(root, "lib", "helper.ts"),
      'import { openDb } from "../db/mod.ts";\nimport fs from "node:fs";\n',
    );
    assert.deepEqual(violations(root).sort(), [
      'lib/helper.ts imports "../db/mod.ts"',
      'lib/helper.ts imports "node:fs"',
    ]);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});
