import assert from "node:assert/strict";
import {
  type MenuState,
  menuText,
  param,
  pluginScript,
  renderMenu,
  runAction,
  shellQuote,
} from "../../cli/menubar_render.ts";

const SELF = { program: "/Users/ada/My Apps/mlx-manager", args: [] };

function state(overrides: Partial<MenuState> = {}): MenuState {
  return {
    url: "http://127.0.0.1:8080",
    version: "0.1.0",
    reachable: true,
    signedIn: true,
    problem: null,
    memory: { used_gb: 41.6, total_gb: 64, percent_used: 65 },
    gpuPercent: 87,
    servers: [],
    stopped: [],
    self: SELF,
    serviceTarget: null,
    ...overrides,
  };
}

const server = (id: number, name: string, s: string, managedBy: string | null = "manager") => ({
  id,
  name,
  port: 10240 + id,
  state: s,
  health: "healthy",
  pid: 100 + id,
  memoryBytes: null,
  uptimeSeconds: 60,
  managedBy,
});

Deno.test("the menu lists running servers with stop actions and stopped profiles with start actions", () => {
  const text = renderMenu(state({
    servers: [server(1, "qwen3", "running"), server(2, "glm | big", "starting", "launchd")],
    stopped: [{ id: 3, name: "--phi", port: 10243 }],
  }));
  assert.equal(
    text,
    [
      "MLX ● 2",
      "---",
      "MLX Manager 0.1.0 | href=http://127.0.0.1:8080",
      "Memory 41.6 of 64.0 GB (65%)",
      "GPU 87% busy",
      "---",
      "qwen3 :10241 — running | color=green",
      '--Stop | bash="/Users/ada/My Apps/mlx-manager" param1=menubar param2=stop param3=1 terminal=false refresh=true',
      "--Open dashboard | href=http://127.0.0.1:8080/servers",
      "glm ¦ big :10242 — starting (launchd) | color=orange",
      '--Stop | bash="/Users/ada/My Apps/mlx-manager" param1=menubar param2=stop param3=2 terminal=false refresh=true',
      "--Open dashboard | href=http://127.0.0.1:8080/servers",
      "Start a profile",
      '--‐‐phi :10243 | bash="/Users/ada/My Apps/mlx-manager" param1=menubar param2=start param3=3 terminal=false refresh=true',
      "---",
      "Open MLX Manager | href=http://127.0.0.1:8080",
      "Refresh | refresh=true",
      "",
    ].join("\n"),
  );
});

Deno.test("the menu says when the manager is down or the token is missing", () => {
  const down = renderMenu(state({ reachable: false }));
  assert.match(down, /^MLX ○\n---\nMLX Manager is not running at http:\/\/127\.0\.0\.1:8080 \| color=gray\n/);
  assert.match(down, /Start it with: mlx-manager serve/);
  const service = renderMenu(state({ reachable: false, serviceTarget: "gui/501/com.mlx-manager.app" }));
  assert.match(
    service,
    /Start MLX Manager \| bash=\/bin\/launchctl param1=kickstart param2=gui\/501\/com\.mlx-manager\.app terminal=false refresh=true/,
  );
  const anonymous = renderMenu(state({ signedIn: false }));
  assert.match(anonymous, /^MLX ◐\n/);
  assert.match(
    anonymous,
    /Not signed in \| color=orange\nSign in… \| bash=.* param1=login param2=--url param3=http:\/\/127\.0\.0\.1:8080 terminal=true refresh=true/,
  );
  assert.equal(renderMenu(state()).split("\n")[0], "MLX ●");
  assert.match(renderMenu(state()), /No servers running \| color=gray/);
});

Deno.test("menu text and parameters cannot break the xbar line format", () => {
  assert.equal(menuText("a|b\nc"), "a¦b c");
  assert.equal(menuText("---"), "‐‐‐");
  assert.equal(param("href", "http://x/y"), "href=http://x/y");
  assert.equal(param("bash", 'a "b"'), 'bash="a \\"b\\""');
  assert.equal(param("param1", ""), 'param1=""');
  assert.equal(
    runAction({ program: "/opt/homebrew/bin/deno", args: ["run", "-A", "/x/main.ts"] }, [
      "menubar",
      "stop",
      "4",
    ]),
    "bash=/opt/homebrew/bin/deno param1=run param2=-A param3=/x/main.ts param4=menubar param5=stop param6=4 terminal=false refresh=true",
  );
});

Deno.test("the plugin script passes every argument through the shell unchanged", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const script = pluginScript({
      self: { program: "/bin/echo", args: ["it's", "$HOME", "a b"] },
      dataDir: "/Users/ada/data dir's",
      url: "http://127.0.0.1:8080",
      version: "0.1.0",
    });
    assert.match(script, /^#!\/bin\/sh\n# <xbar\.title>MLX Manager<\/xbar\.title>\n/);
    assert.match(script, /^export MLX_MANAGER_DATA_DIR='\/Users\/ada\/data dir'\\''s'$/m);
    const path = `${dir}/plugin.sh`;
    await Deno.writeTextFile(path, script);
    const output = await new Deno.Command("sh", { args: [path], stdout: "piped" }).output();
    assert.equal(
      new TextDecoder().decode(output.stdout),
      "it's $HOME a b menubar render --url http://127.0.0.1:8080\n",
    );
    assert.equal(shellQuote("a'b"), "'a'\\''b'");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
