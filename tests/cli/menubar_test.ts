import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, cliEnv } from "../helpers/cli.ts";
import { listen, testRuntime } from "../helpers/runtime.ts";
import { adminAndUser } from "../helpers/auth.ts";
import { saveToken } from "../../cli/token_store.ts";
import { createProfile, modelDir, serverEnv } from "../helpers/servers.ts";
import { waitFor } from "../helpers/net.ts";

/** Runs the installed plugin script as xbar does: `sh <script>` with a plain environment. */
async function runPlugin(path: string): Promise<string> {
  const output = await new Deno.Command("sh", {
    args: [path],
    env: cliEnv("/nonexistent-home", { MLX_MANAGER_DATA_DIR: "/nonexistent" }),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  return new TextDecoder().decode(output.stdout);
}

Deno.test("menubar install writes an executable xbar plugin that renders the menu from a running manager", async () => {
  const rt = await testRuntime();
  const { user } = await adminAndUser(rt);
  const server = listen(rt);
  const home = await Deno.makeTempDir({ prefix: "mlx-menubar-" });
  try {
    const plugins = join(home, "plugins");
    const install = await cli([
      "menubar",
      "install",
      "--dir",
      plugins,
      "--url",
      server.url,
      "--interval",
      "5",
    ], {
      home,
    });
    assert.equal(install.code, 0, install.stderr);
    const path = join(plugins, "mlx-manager.5s.sh");
    assert.match(install.stdout, new RegExp(`^Wrote ${path}\n`));
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o755);

    // Not signed in yet: the menu says so and offers to sign in.
    const anonymous = await runPlugin(path);
    assert.match(anonymous, /^MLX ◐\n---\nMLX Manager \d+\.\d+\.\d+ \| href=http:\/\/127\.0\.0\.1:\d+\n/);
    assert.match(anonymous, /\nNot signed in \| color=orange\nSign in… \| bash=\S+ .*param\d+=login /);

    // Signed in: memory, and the servers section.
    await saveToken(home, { url: server.url, token: user.token, email: user.email, saved_at: "" });
    const signedIn = await runPlugin(path);
    assert.match(signedIn, /^MLX ●\n---\n/);
    assert.match(signedIn, /\nMemory \d+\.\d of \d+\.\d GB \(\d+%\)\n/);
    assert.match(
      signedIn,
      /\n---\nOpen MLX Manager \| href=http:\/\/127\.0\.0\.1:\d+\nRefresh \| refresh=true\n$/,
    );

    // The manager stops: the menu shows it down.
    await server.stop();
    const down = await runPlugin(path);
    assert.match(down, /^MLX ○\n---\nMLX Manager is not running at /);
  } finally {
    await server.stop().catch(() => {});
    await rt.close();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("menubar install needs --dir off macOS, and start/stop need an id and a token", async () => {
  const home = await Deno.makeTempDir();
  try {
    if (Deno.build.os !== "darwin") {
      const install = await cli(["menubar", "install"], { home });
      assert.equal(install.code, 1);
      assert.equal(
        install.stderr,
        "Error: xbar and SwiftBar are macOS apps: pass --dir to write the plugin elsewhere\n",
      );
    }
    const noId = await cli(["menubar", "stop"], { home });
    assert.equal(noId.code, 2);
    assert.match(noId.stderr, /Which profile\? Pass its id: mlx-manager menubar stop <id>/);
    const rt = await testRuntime();
    const server = listen(rt);
    try {
      const noToken = await cli(["menubar", "start", "3", "--url", server.url], { home });
      assert.equal(noToken.code, 4);
      assert.match(noToken.stderr, /Not signed in: run "mlx-manager login"/);
    } finally {
      await server.stop();
      await rt.close();
    }
    const unknown = await cli(["menubar", "dance"], { home });
    assert.equal(unknown.code, 2);
    const bare = await cli(["menubar"], { home });
    assert.equal(bare.code, 2);
    assert.match(bare.stdout, /^Usage: mlx-manager menubar/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("the menu lists running servers and stopped profiles, and its actions stop and start them", async () => {
  const rt = await testRuntime({ env: serverEnv() });
  const { user } = await adminAndUser(rt);
  const server = listen(rt);
  const home = await Deno.makeTempDir({ prefix: "mlx-menubar-" });
  try {
    const running = await createProfile(rt, user, {
      name: "qwen | 4b",
      model_path: await modelDir(rt.dataDir),
    });
    const idle = await createProfile(rt, user, { name: "phi", model_path: await modelDir(rt.dataDir) });
    await rt.deps.supervisor.start(running.id, { wait: true });
    await saveToken(home, { url: server.url, token: user.token, email: user.email, saved_at: "" });
    const install = await cli(["menubar", "install", "--dir", home, "--url", server.url], { home });
    assert.equal(install.code, 0, install.stderr);
    const menu = await runPlugin(`${home}/mlx-manager.10s.sh`);
    const lines = menu.split("\n");
    assert.equal(lines[0], "MLX ● 1");
    const at = lines.indexOf(`qwen ¦ 4b :${running.port} — running | color=green`);
    assert.ok(at > 0, menu);
    assert.match(
      lines[at + 1],
      new RegExp(
        `^--Stop \\| bash=\\S+ .*param\\d+=menubar param\\d+=stop param\\d+=${running.id} terminal=false refresh=true$`,
      ),
    );
    assert.equal(lines[at + 2], `--Open dashboard | href=${server.url}/servers`);
    assert.ok(lines.includes("Start a profile"));
    const startLine = new RegExp(
      `^--phi :${idle.port} \\| bash=\\S+ .*param\\d+=menubar param\\d+=start param\\d+=${idle.id} terminal=false refresh=true$`,
    );
    assert.ok(lines.some((l) => startLine.test(l)), menu);

    // The actions the menu runs.
    const stop = await cli(["menubar", "stop", String(running.id)], { home });
    assert.deepEqual([stop.code, stop.stdout], [0, `Stopped profile ${running.id}\n`]);
    assert.equal(rt.deps.supervisor.status(running.id).state, "stopped");
    const start = await cli(["menubar", "start", String(idle.id)], { home });
    assert.deepEqual([start.code, start.stdout], [0, `Starting profile ${idle.id}\n`]);
    await waitFor(() => rt.deps.supervisor.status(idle.id).state === "running", "phi runs");
    const unknown = await cli(["menubar", "start", "999"], { home });
    assert.deepEqual([unknown.code, unknown.stderr], [1, "Error: Profile not found\n"]);
  } finally {
    await server.stop();
    await rt.close();
    await Deno.remove(home, { recursive: true });
  }
});
