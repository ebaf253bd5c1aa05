import assert from "node:assert/strict";
import { signal } from "@preact/signals";
import { DOMParser } from "linkedom";
import { encodeProps, SignalTable } from "../../../lib/islands/encode.ts";
import { PAYLOAD_ID } from "../../../lib/islands/payload.ts";
import { IslandScripts, registerIslands, renderIslands } from "../../../lib/islands/server.tsx";

function Counter(
  props: {
    count: unknown;
    label?: string;
    children?: preact.ComponentChildren;
  },
) {
  return <button type="button">{props.label}: {String(props.count)}</button>;
}
function Outer(props: { n: number }) {
  return (
    <div class="outer">
      <Counter count={props.n} />
    </div>
  );
}
registerIslands({ Counter, Outer });

const assets = {
  client: "/_build/js/client.js?v=1",
  islands: {
    Counter: "/_build/js/islands/Counter.js?v=1",
    Outer: "/_build/js/islands/Outer.js?v=1",
  },
};

function page(body: preact.ComponentChildren) {
  return (
    <html>
      <body>
        {body}
        <IslandScripts assets={assets} />
      </body>
    </html>
  );
}

function parse(html: string) {
  return new DOMParser().parseFromString(html, "text/html");
}

function payloadOf(html: string) {
  return JSON.parse(parse(html).getElementById(PAYLOAD_ID)!.textContent!);
}

Deno.test("renderIslands() wraps each island in an x-island root with its props index", () => {
  const { html, islands } = renderIslands(page(
    <>
      <Counter count={1} label="a" />
      <Counter count={2} label="b" />
    </>,
  ));
  const roots = parse(html).querySelectorAll("x-island");
  assert.equal(roots.length, 2);
  assert.deepEqual(
    [...roots].map((r: Element) => r.getAttribute("data-props")),
    ["0", "1"],
  );
  assert.equal(roots[0].getAttribute("data-island"), "Counter");
  assert.deepEqual(islands, ["Counter"]);
  assert.deepEqual(payloadOf(html).props, [{ count: 1, label: "a" }, {
    count: 2,
    label: "b",
  }]);
});

Deno.test("renderIslands() serializes a signal shared by two islands once", () => {
  const shared = signal(7);
  const { html } = renderIslands(page(
    <>
      <Counter count={shared} />
      <Counter count={shared} />
    </>,
  ));
  const payload = payloadOf(html);
  assert.deepEqual(payload.signals, [7]);
  assert.deepEqual(payload.props, [{ count: { $signal: 0 } }, {
    count: { $signal: 0 },
  }]);
});

Deno.test("renderIslands() renders an island inside an island as a plain component", () => {
  const { html } = renderIslands(page(<Outer n={3} />));
  const roots = parse(html).querySelectorAll("x-island");
  assert.equal(roots.length, 1);
  assert.equal(roots[0].getAttribute("data-island"), "Outer");
  assert.match(html, /<button type="button">: 3<\/button>/);
});

Deno.test("renderIslands() emits no client script for a page without islands", () => {
  const { html, islands } = renderIslands(page(<p>plain</p>));
  assert.deepEqual(islands, []);
  assert.doesNotMatch(html, /<script/);
  assert.doesNotMatch(html, /modulepreload/);
});

Deno.test("renderIslands() loads only the islands used, through one external script", () => {
  const { html } = renderIslands(page(<Counter count={1} />));
  const doc = parse(html);
  const scripts = [...doc.querySelectorAll("script")] as Element[];
  assert.deepEqual(scripts.map((s) => s.getAttribute("type")), [
    "application/json",
    "module",
  ]);
  assert.equal(scripts[1].getAttribute("src"), assets.client);
  assert.equal(scripts[1].textContent, "");
  const preloads = [
    ...doc.querySelectorAll('link[rel="modulepreload"]'),
  ] as Element[];
  assert.deepEqual(preloads.map((l) => l.getAttribute("href")), [
    assets.islands.Counter,
  ]);
});

Deno.test("renderIslands() escapes a closing script tag inside props", () => {
  const { html } = renderIslands(
    page(<Counter count="x</script><b>bold</b>" />),
  );
  assert.doesNotMatch(
    html.split(`id="${PAYLOAD_ID}">`)[1].split("</script>")[0],
    /<\/script|<b>/,
  );
  assert.equal(payloadOf(html).props[0].count, "x</script><b>bold</b>");
});

Deno.test("encodeProps() throws on function props, naming the prop and island", () => {
  assert.throws(
    () => encodeProps("Counter", { onClick: () => {} }, new SignalTable()),
    {
      name: "TypeError",
      message: 'Cannot serialize prop "onClick" of island "Counter": functions are not serializable',
    },
  );
});

Deno.test("encodeProps() throws on values JSON would silently change", () => {
  const table = new SignalTable();
  for (
    const [value, detail] of [
      [new Date(0), "Date instances are not serializable"],
      [new Map(), "Map instances are not serializable"],
      [NaN, "NaN is not serializable"],
      [[1, undefined], "undefined is not serializable"],
      [
        { nested: { deep: signal(1) } },
        "signals are allowed only as top-level props",
      ],
    ] as const
  ) {
    assert.throws(() => encodeProps("X", { value }, table), (error: Error) => {
      assert.ok(error instanceof TypeError);
      assert.match(error.message, new RegExp(detail));
      return true;
    });
  }
});

Deno.test("renderIslands() rejects JSX children passed to an island", () => {
  assert.throws(
    () =>
      renderIslands(page(
        <Counter count={1}>
          <b>child</b>
        </Counter>,
      )),
    /Cannot serialize prop "children" of island "Counter"/,
  );
});

Deno.test("IslandScripts fails clearly when an island has no bundle", () => {
  function Unbuilt() {
    return <i>x</i>;
  }
  registerIslands({ Unbuilt });
  assert.throws(
    () => renderIslands(page(<Unbuilt />)),
    /Cannot find the bundle of island "Unbuilt"/,
  );
});
