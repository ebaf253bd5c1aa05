import assert from "node:assert/strict";
import { join } from "node:path";
import { cli } from "../helpers/cli.ts";
import { listen, testRuntime } from "../helpers/runtime.ts";
import { adminAndUser, createUser } from "../helpers/auth.ts";
import { openDb } from "../../db/mod.ts";
import { findUserByEmail } from "../../db/users.ts";

async function setup() {
  const rt = await testRuntime();
  const { admin, user } = await adminAndUser(rt);
  const server = listen(rt);
  const home = await Deno.makeTempDir({ prefix: "mlx-cli-" });
  return {
    rt,
    admin,
    user,
    url: server.url,
    home,
    async close() {
      await server.stop();
      await rt.close();
      await Deno.remove(home, { recursive: true });
    },
  };
}

/** A loopback port nothing listens on. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

Deno.test("status exits 3 with a clear message when the manager is not reachable", async () => {
  const home = await Deno.makeTempDir();
  try {
    const port = closedPort();
    const result = await cli(["status"], { home, env: { MLX_MANAGER_PORT: String(port) } });
    assert.equal(result.code, 3);
    assert.match(
      result.stderr,
      new RegExp(`^Error: MLX Manager is not reachable at http://127\\.0\\.0\\.1:${port}: `),
    );
    assert.match(result.stderr, /Start it with "mlx-manager serve" or pass --url/);
    assert.equal(result.stdout, "");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("status exits 3 when something else answers at the URL", async () => {
  const home = await Deno.makeTempDir();
  const other = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response("nope", { status: 404 }),
  );
  try {
    const result = await cli(["status", "--url", `http://127.0.0.1:${other.addr.port}`], { home });
    assert.equal(result.code, 3);
    assert.match(result.stderr, /Something other than MLX Manager answers at .* \(HTTP 404\)/);
  } finally {
    await other.shutdown();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("status exits 4 without a token or with a refused one", async () => {
  const t = await setup();
  try {
    const none = await cli(["status", "--url", t.url], { home: t.home });
    assert.equal(none.code, 4);
    assert.equal(none.stderr, `Error: Not signed in to ${t.url}: run "mlx-manager login" or pass --token\n`);
    const bad = await cli(["status", "--url", t.url, "--token", "not-a-token"], { home: t.home });
    assert.equal(bad.code, 4);
    assert.match(bad.stderr, /Not signed in \(Could not validate credentials\): run "mlx-manager login"/);
  } finally {
    await t.close();
  }
});

Deno.test("login saves a 0600 token for this manager and logout forgets it", async () => {
  const t = await setup();
  try {
    const result = await cli(["login", "--url", t.url, "--email", t.user.email, "--password-stdin"], {
      home: t.home,
      stdin: `${t.user.password}\n`,
    });
    assert.equal(result.code, 0, result.stderr);
    const path = join(t.home, "cli-token");
    assert.equal(result.stdout, `Signed in to ${t.url} as ${t.user.email}; the token is saved in ${path}\n`);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    const saved = JSON.parse(await Deno.readTextFile(path));
    assert.equal(saved.url, t.url);
    assert.equal(saved.email, t.user.email);
    assert.deepEqual(await t.rt.deps.accounts.authenticate(saved.token), {
      id: t.user.id,
      email: t.user.email,
      isAdmin: false,
    });
    const logout = await cli(["logout"], { home: t.home });
    assert.deepEqual([logout.code, logout.stdout], [0, "Signed out: the saved token is deleted\n"]);
    assert.equal(await Deno.stat(path).catch(() => null), null);
  } finally {
    await t.close();
  }
});

Deno.test("login exits 4 on wrong credentials or a pending account, and 2 without an email", async () => {
  const t = await setup();
  try {
    const wrong = await cli(["login", "--url", t.url, "--email", t.user.email, "--password-stdin"], {
      home: t.home,
      stdin: "wrong password",
    });
    assert.equal(wrong.code, 4);
    assert.equal(wrong.stderr, `Error: Cannot sign in to ${t.url}: Incorrect email or password\n`);
    const pending = await t.rt.deps.accounts.register({
      email: "new@example.com",
      password: "long enough pw",
    });
    assert.equal(pending.status, "pending");
    const waiting = await cli(["login", "--url", t.url, "--email", "new@example.com", "--password-stdin"], {
      home: t.home,
      stdin: "long enough pw",
    });
    assert.equal(waiting.code, 4);
    assert.match(waiting.stderr, /Account pending approval/);
    const noEmail = await cli(["login", "--url", t.url, "--password-stdin"], { home: t.home, stdin: "x" });
    assert.equal(noEmail.code, 2);
    assert.match(noEmail.stderr, /Pass --email/);
    const noTerminal = await cli(["login", "--url", t.url, "--email", t.user.email], {
      home: t.home,
      stdin: "",
    });
    assert.equal(noTerminal.code, 2);
    assert.match(noTerminal.stderr, /pass it on standard input with --password-stdin/);
    assert.equal(await Deno.stat(join(t.home, "cli-token")).catch(() => null), null, "nothing saved");
  } finally {
    await t.close();
  }
});

Deno.test("a saved token is only sent to the manager that issued it", async () => {
  const t = await setup();
  const other = await testRuntime();
  const otherServer = listen(other);
  try {
    await createUser(other, { admin: true });
    const login = await cli(["login", "--url", t.url, "--email", t.user.email, "--password-stdin"], {
      home: t.home,
      stdin: t.user.password,
    });
    assert.equal(login.code, 0);
    const elsewhere = await cli(["status", "--url", otherServer.url], { home: t.home });
    assert.equal(elsewhere.code, 4);
    assert.match(elsewhere.stderr, new RegExp(`Not signed in to ${otherServer.url}`));
  } finally {
    await otherServer.stop();
    await other.close();
    await t.close();
  }
});

Deno.test("create-admin makes an administrator in the data dir's database, then resets its password", async () => {
  const home = await Deno.makeTempDir();
  try {
    const first = await cli(["create-admin", "--email", "Root@Example.com", "--password-stdin"], {
      home,
      stdin: "a long password\n",
    });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout, "Created the administrator Root@Example.com\n");
    const again = await cli(["create-admin", "--email", "root@example.com", "--password-stdin"], {
      home,
      stdin: "another long password",
    });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /is now an approved administrator with the new password/);
    const db = openDb(join(home, "mlx-manager.db"));
    try {
      const user = findUserByEmail(db, "root@example.com")!;
      assert.equal(user.isAdmin, true);
      assert.equal(user.status, "approved");
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("create-admin refuses a bad email or a short password with exit 2, and needs --email when piped", async () => {
  const home = await Deno.makeTempDir();
  try {
    const email = await cli(["create-admin", "--email", "not-an-email", "--password-stdin"], {
      home,
      stdin: "a long password",
    });
    assert.deepEqual([email.code, email.stderr], [2, "Error: Enter a valid email address\n"]);
    const short = await cli(["create-admin", "--email", "a@b.c", "--password-stdin"], {
      home,
      stdin: "short",
    });
    assert.equal(short.code, 2);
    assert.match(short.stderr, /^Error: Password must be at least \d+ characters\n$/);
    const missing = await cli(["create-admin"], { home, stdin: "" });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Pass --email/);
    assert.equal(
      await Deno.stat(join(home, "mlx-manager.db")).catch(() => null),
      null,
      "no database created",
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
