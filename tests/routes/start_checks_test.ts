import assert from "node:assert/strict";
import { join } from "node:path";
import { cliEnv, mainArgs } from "../helpers/cli.ts";
import { startManager } from "../helpers/manager.ts";
import { mountTmpfs, tmpfsUnavailable } from "../helpers/tmpfs.ts";
import { testRuntime } from "../helpers/runtime.ts";
import { acceptsTokensSignedWith, createUser } from "../helpers/auth.ts";

/** Runs `serve` until it exits or listens (then it is stopped): what it logged and its exit code, or null if it started. */
async function serveOnce(dataDir: string): Promise<{ code: number | null; log: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: mainArgs("serve", "--port", "0"),
    env: cliEnv(dataDir, { MLX_MANAGER_OFFLINE: "true" }),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let log = "";
  const decoder = new TextDecoder();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) {
      log += decoder.decode(chunk, { stream: true });
      if (/listening on http/.test(log)) child.kill("SIGKILL");
    }
  };
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  await Promise.all([drain(child.stdout), drain(child.stderr)]);
  const status = await child.status;
  clearTimeout(timer);
  return { code: /listening on http/.test(log) ? null : status.code, log };
}

Deno.test("a second manager on the same data dir refuses to start, naming the dir and the first one's pid", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "mlx-manager-lock-" });
  const first = await startManager({ dataDir, env: { MLX_MANAGER_OFFLINE: "true" } });
  try {
    const second = await serveOnce(dataDir);
    assert.notEqual(second.code, null, "the second manager must not start");
    assert.notEqual(second.code, 0);
    assert.match(
      second.log,
      new RegExp(`Another MLX Manager \\(pid ${first.child.pid}\\) is running on the data dir ${dataDir}`),
    );
    assert.doesNotMatch(second.log, /^\s+at /m, "no stack trace");
    const health = await fetch(`${first.url}/health`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
  } finally {
    first.child.kill("SIGKILL");
    await first.child.status;
  }
  // A manager that died (even by SIGKILL) leaves no lock behind.
  const again = await serveOnce(dataDir);
  assert.equal(again.code, null, again.log);
  await Deno.remove(dataDir, { recursive: true });
});

Deno.test("a damaged database stops the start with its path and what to do", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "mlx-manager-corrupt-" });
  try {
    await Deno.writeTextFile(join(dataDir, "mlx-manager.db"), "this is not a database ".repeat(200));
    const { code, log } = await serveOnce(dataDir);
    assert.equal(code, 1, log);
    assert.match(log, new RegExp(`Error: Cannot start: ${join(dataDir, "mlx-manager.db")} is damaged`));
    assert.match(log, /move the file away/);
    assert.doesNotMatch(log, /^\s+at /m);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("a jwt-secret that is a folder stops the start with its path and what to do", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "mlx-manager-secret-" });
  try {
    await Deno.mkdir(join(dataDir, "jwt-secret"));
    const { code, log } = await serveOnce(dataDir);
    assert.equal(code, 1, log);
    assert.match(
      log,
      new RegExp(`the session secret ${join(dataDir, "jwt-secret")} is not a file: remove it`),
    );
    assert.doesNotMatch(log, /^\s+at /m);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

const unavailable = await tmpfsUnavailable();
// deno-lint-ignore no-console
if (unavailable) console.log(`read-only data dir test ignored: ${unavailable}`);

Deno.test({
  name: "a read-only data dir stops the start with its path and what to do",
  ignore: unavailable !== null,
  async fn() {
    await using disk = await mountTmpfs("4m");
    const remount = await new Deno.Command("mount", { args: ["-o", "remount,ro", disk.dir] }).output();
    assert.ok(remount.success, new TextDecoder().decode(remount.stderr));
    const { code, log } = await serveOnce(disk.dir);
    assert.equal(code, 1, log);
    assert.match(
      log,
      new RegExp(
        `Error: Cannot start: ${disk.dir} is not writable \\(.*\\): make it writable or set MLX_MANAGER_DATA_DIR`,
      ),
    );
    assert.doesNotMatch(log, /^\s+at /m);
  },
});

Deno.test("a short or empty jwt-secret is replaced with a warning in the log", async () => {
  for (const content of ["", "short"]) {
    const logs: string[] = [];
    const dataDir = await Deno.makeTempDir({ prefix: "mlx-manager-short-" });
    await Deno.writeTextFile(join(dataDir, "jwt-secret"), content);
    await using rt = await testRuntime({ logs, env: { MLX_MANAGER_DATA_DIR: dataDir } });
    const secret = await Deno.readTextFile(join(dataDir, "jwt-secret"));
    assert.ok(secret.length >= 64);
    assert.ok(
      await acceptsTokensSignedWith(rt, await createUser(rt, { admin: true }), secret),
      "it signs with the new secret",
    );
    assert.ok(
      logs.some((l) =>
        /WARN/i.test(l) && l.includes(`${join(dataDir, "jwt-secret")} is too short`) && /signed out/.test(l)
      ),
      logs.join("\n"),
    );
    await Deno.remove(dataDir, { recursive: true });
  }
});
