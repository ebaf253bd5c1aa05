import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { migrate } from "../../db/migrate.ts";
import { openDb, transaction } from "../../db/mod.ts";
import { MIGRATIONS } from "../../db/migrations/mod.ts";

const sample = [
  { version: 1, name: "one", sql: "CREATE TABLE a (x INTEGER);" },
  { version: 2, name: "two", sql: "ALTER TABLE a ADD COLUMN y TEXT;" },
];

Deno.test("migrate() applies each migration once and records it", () => {
  const db = new DatabaseSync(":memory:");
  assert.deepEqual(migrate(db, sample), [1, 2]);
  assert.deepEqual(migrate(db, sample), []);
  const rows = db.prepare(
    "SELECT version, name FROM schema_migrations ORDER BY version",
  ).all();
  assert.deepEqual(rows.map((r) => [r.version, r.name]), [[1, "one"], [
    2,
    "two",
  ]]);
});

Deno.test("migrate() rolls back a failing migration and keeps the earlier ones", () => {
  const db = new DatabaseSync(":memory:");
  const broken = [...sample, {
    version: 3,
    name: "bad",
    sql: "CREATE TABLE b (z); INSERT INTO nowhere VALUES (1);",
  }];
  assert.throws(
    () => migrate(db, broken),
    /Cannot apply migration 3 \(bad\): no such table: nowhere/,
  );
  assert.deepEqual(
    db.prepare("SELECT version FROM schema_migrations").all().map((r) => r.version),
    [1, 2],
  );
  assert.equal(
    db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get(),
    undefined,
  );
});

Deno.test("migrate() refuses two migrations with the same version", () => {
  const db = new DatabaseSync(":memory:");
  assert.throws(
    () => migrate(db, [sample[0], { ...sample[1], version: 1 }]),
    /version 1 is defined twice/,
  );
});

Deno.test("openDb() applies the app's migrations to a file and is idempotent on reopen", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "nested", "app.db");
  openDb(path).close();
  const db = openDb(path);
  const versions = db.prepare(
    "SELECT version FROM schema_migrations ORDER BY version",
  ).all().map((r) => r.version);
  assert.deepEqual(
    versions,
    MIGRATIONS.map((m) => m.version).sort((a, b) => a - b),
  );
  assert.equal(db.prepare("PRAGMA foreign_keys").get()!.foreign_keys, 1);
  db.close();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("transaction() commits on return and rolls back on throw", () => {
  const db = openDb(":memory:");
  db.exec("CREATE TABLE t (v INTEGER)");
  transaction(db, () => db.prepare("INSERT INTO t VALUES (1)").run());
  assert.throws(() =>
    transaction(db, () => {
      db.prepare("INSERT INTO t VALUES (2)").run();
      transaction(db, () => db.prepare("INSERT INTO t VALUES (3)").run());
      throw new Error("boom");
    }), /boom/);
  assert.deepEqual(db.prepare("SELECT v FROM t").all().map((r) => r.v), [1]);
});
