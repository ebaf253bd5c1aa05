import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { connectionLimit, parseProcLimits } from "../../../services/platform/open_files.ts";

const MODULE = new URL("../../../services/platform/open_files.ts", import.meta.url).href;

/** Runs `code` (which may import the module as `m`) in a Deno started under `ulimit`; returns its JSON output. */
async function runUnder(ulimit: string, code: string): Promise<unknown> {
  const script = `const m = await import(${JSON.stringify(MODULE)});\n${code}`;
  const out = await new Deno.Command("/bin/sh", {
    args: ["-c", `${ulimit} && exec "$0" "$@"`, Deno.execPath(), "eval", "--ext=ts", script],
    cwd: fileURLToPath(new URL("../../..", import.meta.url)),
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("raiseOpenFileLimit() raises a lowered soft limit to the hard one through libc", async () => {
  const result = await runUnder(
    "ulimit -n 4096",
    `const calls = m.libcRlimit();
     const [, hard] = calls.get();
     calls.set(200n, hard); // below what this Deno started with
     const lowered = (await m.readOpenFileLimit()).soft;
     const raised = m.raiseOpenFileLimit(calls);
     console.log(JSON.stringify({ lowered, raised, after: await m.readOpenFileLimit() }));`,
  ) as { lowered: number; raised: { soft: number; hard: number; raised: boolean }; after: { soft: number } };
  assert.equal(result.lowered, 200);
  assert.deepEqual(result.raised, { soft: 4096, hard: 4096, raised: true, source: "libc" });
  assert.equal(result.after.soft, 4096);
});

Deno.test("openFileLimit() reads the limit as it is when it cannot raise it: at the hard limit, or without FFI", async () => {
  const atHard = await runUnder("ulimit -n 300", "console.log(JSON.stringify(await m.openFileLimit()));");
  assert.deepEqual(atHard, { soft: 300, hard: 300, raised: false, source: "libc" });
  const script = await Deno.makeTempFile({ suffix: ".ts" });
  try {
    await Deno.writeTextFile(
      script,
      `const m = await import(${
        JSON.stringify(MODULE)
      }); console.log(JSON.stringify(await m.openFileLimit()));`,
    );
    const out = await new Deno.Command("/bin/sh", {
      args: [
        "-c",
        'ulimit -n 300 && exec "$0" "$@"',
        Deno.execPath(),
        "run",
        "--allow-read",
        "--allow-run",
        script,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    const read = JSON.parse(new TextDecoder().decode(out.stdout));
    assert.deepEqual({ ...read, source: null }, { soft: 300, hard: 300, raised: false, source: null });
    // Deno keeps /proc/self from a script without every permission: the shell's ulimit then tells.
    assert.ok(["proc", "ulimit"].includes(read.source), read.source);
  } finally {
    await Deno.remove(script);
  }
});

Deno.test("parseProcLimits() reads the open-file line of /proc/self/limits", () => {
  const text = [
    "Limit                     Soft Limit           Hard Limit           Units     ",
    "Max processes             63704                63704                processes ",
    "Max open files            1024                 524288               files     ",
  ].join("\n");
  assert.deepEqual(parseProcLimits(text), { soft: 1024, hard: 524288 });
  assert.deepEqual(
    parseProcLimits("Max open files            256                  unlimited            files"),
    { soft: 256, hard: null },
  );
  assert.equal(parseProcLimits("Max processes 10 10"), null);
});

Deno.test("connectionLimit() keeps descriptors for everything but clients and counts two per client", () => {
  assert.equal(connectionLimit(256), 64);
  assert.equal(connectionLimit(1024), 448);
  assert.equal(connectionLimit(100), 16);
  assert.equal(connectionLimit(1_048_576), 4096);
});
