import assert from "node:assert/strict";
import { searchFromParams, searchParams } from "../../lib/client/model_search.ts";

Deno.test("searchFromParams() reads q, author and sort, with the defaults for what is left out", () => {
  assert.deepEqual(searchFromParams(new URLSearchParams(""), "mlx-community"), {
    query: "",
    author: "mlx-community",
    sort: "downloads",
  });
  assert.deepEqual(searchFromParams(new URLSearchParams("q=qwen&author=&sort=likes"), "mlx-community"), {
    query: "qwen",
    author: "",
    sort: "likes",
  });
});

Deno.test("searchParams() writes only what differs from the defaults and keeps the other parameters", () => {
  const plain = searchParams({ query: "", author: "mlx-community", sort: "downloads" }, "mlx-community");
  assert.equal(plain.toString(), "");
  const any = searchParams(
    { query: "qwen 3", author: "", sort: "recent" },
    "mlx-community",
    new URLSearchParams("tab=x&q=old"),
  );
  assert.equal(any.toString(), "tab=x&q=qwen+3&author=&sort=recent");
  assert.deepEqual(searchFromParams(any, "mlx-community"), { query: "qwen 3", author: "", sort: "recent" });
});
