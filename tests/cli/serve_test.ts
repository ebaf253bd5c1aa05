import assert from "node:assert/strict";
import { join } from "node:path";
import { cliEnv, mainArgs } from "../helpers/cli.ts";
import { openCommand } from "../../cli/open.ts";

Deno.test("the browser is opened with open on macOS, xdg-open on Linux and start on Windows", () => {
  const url = "http://127.0.0.1:8080";
  assert.deepEqual(openCommand("darwin", url), { cmd: "open", args: [url] });
  assert.deepEqual(openCommand("linux", url), { cmd: "xdg-open", args: [url] });
  assert.deepEqual(openCommand("windows", url), { cmd: "cmd", args: ["/c", "start", "", url] });
});

/**
 * Starts `serve --port 0 --open` with `path` as PATH, waits until `done(log)`
 * holds (or 30 s pass), then stops it with SIGTERM; returns its log and URL.
 */
async function serveOpen(
  home: string,
  path: string,
  done: (log: string) => Promise<boolean>,
): Promise<{ log: string; url: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: mainArgs("serve", "--port", "0", "--open"),
    env: cliEnv(home, { PATH: path }),
    clearEnv: true,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let log = "";
  const reading = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) log += chunk;
  })();
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !await done(log)) await new Promise((r) => setTimeout(r, 50));
  child.kill("SIGTERM");
  const status = await child.status;
  await reading;
  assert.equal(status.code, 0, log);
  return { log, url: log.match(/listening on (http:\/\/[\d.]+:\d+)/)?.[1] ?? "" };
}

Deno.test("serve --open opens the app's URL with the system's opener", async () => {
  const home = await Deno.makeTempDir();
  const opener = join(home, "opener");
  try {
    await Deno.mkdir(opener);
    const { cmd } = openCommand(Deno.build.os, "");
    await Deno.writeTextFile(
      join(opener, cmd),
      `#!/bin/sh\nprintf '%s' "$1" > '${join(opener, "opened")}'\n`,
      {
        mode: 0o755,
      },
    );
    const opened = () => Deno.readTextFile(join(opener, "opened")).catch(() => "");
    const { url } = await serveOpen(home, opener, async () => (await opened()) !== "");
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(await opened(), url);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("serve --open without an opener keeps serving and says where to go", async () => {
  if (Deno.build.os === "darwin") return; // `open` always exists on macOS.
  const home = await Deno.makeTempDir();
  try {
    const { log, url } = await serveOpen(
      home,
      join(home, "empty"),
      (log) => Promise.resolve(log.includes("yourself")),
    );
    assert.match(
      log,
      new RegExp(`Cannot open a browser \\(xdg-open is not installed\\): open ${url} yourself`),
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
