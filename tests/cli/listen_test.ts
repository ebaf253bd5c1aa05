import assert from "node:assert/strict";
import { cli } from "../helpers/cli.ts";
import { listenError } from "../../cli/listen.ts";
import { CliError } from "../../cli/io.ts";

Deno.test("listenError() names the port and MLX_MANAGER_PORT for a taken port, and the host for a foreign address", () => {
  const taken = listenError(
    new Deno.errors.AddrInUse("Address already in use (os error 98)"),
    "127.0.0.1",
    8080,
  );
  assert.ok(taken instanceof CliError);
  assert.match(taken.message, /^Port 8080 is in use by another program/);
  assert.match(taken.message, /--port or MLX_MANAGER_PORT \(for example MLX_MANAGER_PORT=8081\)/);
  const foreign = listenError(new Deno.errors.AddrNotAvailable("os error 99"), "10.9.9.9", 8080);
  assert.match(
    (foreign as Error).message,
    /^10\.9\.9\.9 is not an address of this machine: .*MLX_MANAGER_HOST/,
  );
  const other = new Error("something else");
  assert.equal(listenError(other, "127.0.0.1", 8080), other);
});

Deno.test("serve on a port another program holds says which port and how to choose another, and exits 1", async () => {
  const home = await Deno.makeTempDir();
  const holder = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = (holder.addr as Deno.NetAddr).port;
    const { code, stderr } = await cli(["serve"], { home, env: { MLX_MANAGER_PORT: String(port) } });
    assert.equal(code, 1, stderr);
    assert.match(stderr, new RegExp(`Error: Port ${port} is in use by another program`));
    assert.match(stderr, /MLX_MANAGER_PORT/);
    assert.doesNotMatch(stderr, /os error|Uncaught|at \S+:\d+:\d+/);
  } finally {
    holder.close();
    await Deno.remove(home, { recursive: true });
  }
});
