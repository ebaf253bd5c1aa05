import assert from "node:assert/strict";
import { isAlive, sameCommand, signalGroup, spawnInGroup } from "../../../services/supervisor/process.ts";
import { waitFor } from "../../helpers/net.ts";

Deno.test("spawnInGroup starts a process group whose children all end with one group signal", async () => {
  const dir = await Deno.makeTempDir();
  const log = `${dir}/out.log`;
  // The shell starts a grandchild and prints its pid, then waits.
  const child = spawnInGroup(
    {
      executable: "/bin/sh",
      args: ["-c", 'sleep 60 & echo "child $!"; echo err >&2; wait'],
      env: { X: "1" },
    },
    log,
    dir,
  );
  try {
    const text = await waitFor(async () => {
      const t = await Deno.readTextFile(log).catch(() => "");
      return t.includes("err") && t.includes("child") && t;
    }, "output in the log");
    const grandchild = Number(text.match(/child (\d+)/)![1]);
    const ps = new Deno.Command("ps", { args: ["-o", "pgid=", "-p", String(child.pid)] }).outputSync();
    assert.equal(Number(new TextDecoder().decode(ps.stdout).trim()), child.pid, "it leads its own group");
    assert.ok(isAlive(grandchild));
    assert.equal(signalGroup(child.pid, "SIGTERM"), true);
    const status = await child.status;
    assert.equal(status.signal, "SIGTERM");
    await waitFor(() => !isAlive(grandchild), "the grandchild ended too");
    assert.equal(signalGroup(child.pid, "SIGTERM"), false, "the group is gone");
  } finally {
    signalGroup(child.pid, "SIGKILL");
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sameCommand() recognises our process even when a script's interpreter runs it", () => {
  const command = ["/venv/bin/mlx-openai-server", "launch", "--model-path", "m", "--port", "10240"];
  assert.equal(
    sameCommand("/venv/bin/python3 /venv/bin/mlx-openai-server launch --model-path m --port 10240", command),
    true,
  );
  assert.equal(
    sameCommand("/venv/bin/python3 /venv/bin/mlx-openai-server launch --model-path m --port 10241", command),
    false,
  );
  assert.equal(sameCommand("sleep 30", command), false);
});
