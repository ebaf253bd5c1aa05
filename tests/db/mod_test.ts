import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { statement } from "../../db/mod.ts";

Deno.test("statement() prepares a query once per database and answers it each time", () => {
  const db = new DatabaseSync(":memory:");
  const other = new DatabaseSync(":memory:");
  try {
    db.exec("CREATE TABLE t (n INTEGER)");
    other.exec("CREATE TABLE t (n INTEGER)");
    const insert = statement(db, "INSERT INTO t (n) VALUES (?)");
    assert.equal(statement(db, "INSERT INTO t (n) VALUES (?)"), insert);
    assert.notEqual(statement(other, "INSERT INTO t (n) VALUES (?)"), insert);
    insert.run(1);
    statement(db, "INSERT INTO t (n) VALUES (?)").run(2);
    assert.deepEqual(statement(db, "SELECT n FROM t ORDER BY n").all().map((r) => r.n), [1, 2]);
    assert.equal(statement(other, "SELECT count(*) AS c FROM t").get()!.c, 0);
  } finally {
    db.close();
    other.close();
  }
});

Deno.test("statement() keeps at most 256 statements, dropping the least recently used", () => {
  const db = new DatabaseSync(":memory:");
  try {
    const first = statement(db, "SELECT 0");
    const second = statement(db, "SELECT 1");
    for (let i = 2; i < 256; i++) statement(db, `SELECT ${i}`);
    assert.equal(statement(db, "SELECT 0"), first); // used again: now the most recent
    statement(db, "SELECT 256"); // one past the bound: "SELECT 1" is now the least recently used
    assert.equal(statement(db, "SELECT 0"), first);
    const again = statement(db, "SELECT 1");
    assert.notEqual(again, second);
    assert.equal(again.get()!["1"], 1);
  } finally {
    db.close();
  }
});
