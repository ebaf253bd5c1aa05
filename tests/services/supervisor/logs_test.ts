import assert from "node:assert/strict";
import { cleanLine, LogTail } from "../../../services/supervisor/logs.ts";
import { waitFor } from "../../helpers/net.ts";

Deno.test("cleanLine strips colour and other escape sequences and keeps what a carriage return drew last", () => {
  assert.equal(
    cleanLine(
      "\x1b[32m2026-01-27 10:00:00\x1b[0m | \x1b[1mINFO    \x1b[0m | \x1b[36mapp.main\x1b[0m | ✦ ok  ",
    ),
    "2026-01-27 10:00:00 | INFO     | app.main | ✦ ok",
  );
  assert.equal(
    cleanLine("Fetching 9 files:  10%|█\rFetching 9 files: 100%|██████████\r"),
    "Fetching 9 files: 100%|██████████",
  );
  assert.equal(cleanLine("\x1b]0;title\x07text"), "text");
});

Deno.test("a LogTail follows a file: split lines, a partial last line, every subscriber, a bounded buffer", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/server.log`;
  await Deno.writeTextFile(path, "old line\n");
  const tail = new LogTail({ capacity: 3, pollMs: 20 });
  try {
    await tail.follow(path);
    const a: string[] = [];
    const b: string[] = [];
    tail.subscribe((l) => a.push(l));
    tail.subscribe((l) => b.push(l));
    await Deno.writeTextFile(path, "one\ntw", { append: true });
    await waitFor(() => a.length === 1, "first line");
    await Deno.writeTextFile(path, "o\n\x1b[31mthree\x1b[0m\nfour\n", { append: true });
    await waitFor(() => a.length === 4, "all lines");
    assert.deepEqual(a, ["one", "two", "three", "four"], "the line before follow() is not re-read");
    assert.deepEqual(b, a);
    assert.deepEqual(tail.last(10), ["two", "three", "four"]);
    assert.equal(tail.total, 4);
    assert.deepEqual(tail.since(2), ["three", "four"]);

    tail.pushOwn("[mlx-manager] note");
    await Deno.writeTextFile(path, "[mlx-manager] note\nfive\n", { append: true });
    await waitFor(() => a.at(-1) === "five", "line after the note");
    assert.deepEqual(
      a.slice(-2),
      ["[mlx-manager] note", "five"],
      "a note written by the manager appears once",
    );
  } finally {
    await tail.drain();
    tail.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("LogTail.loadHistory reads the end of an existing file once", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/server.log`;
  await Deno.writeTextFile(path, Array.from({ length: 50 }, (_, i) => `line ${i}`).join("\n") + "\n");
  try {
    const tail = new LogTail({ capacity: 10 });
    await tail.loadHistory(path);
    await tail.loadHistory(path);
    assert.deepEqual(tail.last(2), ["line 48", "line 49"]);
    assert.equal(tail.total, 50);
    const missing = new LogTail();
    await missing.loadHistory(`${dir}/none.log`);
    assert.deepEqual(missing.last(5), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
