import assert from "node:assert/strict";
import { safeHref, safeSrc } from "../../../lib/markdown/urls.ts";

Deno.test("safeHref() lets links point at web pages, e-mail and this site only", () => {
  for (
    const url of [
      "https://deno.com",
      "http://x.test/a?b#c",
      "mailto:a@b.test",
      "/chat",
      "#top",
      "docs/x.md",
      "?q=1",
    ]
  ) {
    assert.equal(safeHref(url), url);
  }
  for (
    const url of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "data:text/html,x",
      "vbscript:x",
      "file:///etc/passwd",
      "irc://x",
      "java\tscript:x",
      "\u0001javascript:x",
      "https:\\\\evil",
    ]
  ) {
    assert.equal(safeHref(url), null, url);
  }
});

Deno.test("safeSrc() lets images load from the web or this site but not from data: or script URLs", () => {
  assert.equal(safeSrc("/static/favicon.svg"), "/static/favicon.svg");
  assert.equal(safeSrc("https://x.test/a.png"), "https://x.test/a.png");
  for (const url of ["data:image/png;base64,AAAA", "javascript:x", "mailto:a@b.test", "blob:https://x/1"]) {
    assert.equal(safeSrc(url), null, url);
  }
});
