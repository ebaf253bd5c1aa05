import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { DOMParser } from "linkedom";
import { axisMax, linePath, MetricsChart, pointsPath, tickText } from "../../components/MetricsChart.tsx";

function parse(html: string) {
  return new DOMParser().parseFromString(`<html><body>${html}</body></html>`, "text/html");
}

Deno.test("MetricsChart labels each panel's y axis in its own unit, beside the SVG and without inline styles", () => {
  const html = renderToString(
    <MetricsChart
      title="Memory"
      capacity={10}
      times={["10 min ago", "now"]}
      panels={[
        {
          unit: "% of the total",
          max: 100,
          format: (v) => `${v} %`,
          series: [{
            label: "Memory used",
            stroke: "stroke-indigo-500",
            swatch: "fill-indigo-500",
            values: [10, 20],
          }],
        },
        {
          unit: "Requests a minute",
          series: [{
            label: "Requests",
            kind: "bars",
            stroke: "stroke-indigo-500",
            swatch: "fill-indigo-500",
            values: [0, 7, 3],
          }],
        },
      ]}
    />,
  );
  const doc = parse(html);
  const panels = [...doc.querySelectorAll("[data-testid=chart-panel]")];
  const ticks = panels.map((p) =>
    [...p.querySelectorAll("[data-testid=chart-y-ticks] span")].map((s) => s.textContent)
  );
  assert.deepEqual(ticks, [["100 %", "75 %", "50 %", "25 %", "0 %"], ["8", "6", "4", "2", "0"]]);
  assert.deepEqual(panels.map((p) => p.querySelector("[data-testid=chart-unit]")!.textContent), [
    "% of the total",
    "Requests a minute",
  ]);
  assert.equal(
    doc.querySelectorAll("rect[data-bar=Requests]").length,
    2,
    "a bar for each minute with requests",
  );
  assert.equal(doc.querySelector("svg text"), null, "no text inside the stretched SVG");
  assert.doesNotMatch(html, /\sstyle=/);
});

Deno.test("a line series marks every point, so values with no neighbour are drawn too", () => {
  const values = [null, 40, null, null, 12, 14, null];
  assert.equal(
    linePath(values, 7, 50),
    "M100.0 20.0M400.0 76.0L500.0 72.0",
    "only moves where values are alone",
  );
  const dots = pointsPath(values, 7, 50);
  assert.equal(dots.match(/h0/g)?.length, 3, "one dot for each value");
  assert.match(dots, /^M100\.0 20\.0h0/);
});

Deno.test("axisMax() rounds the axis up to even steps; tickText() keeps ticks short", () => {
  assert.equal(axisMax(7), 8);
  assert.equal(axisMax(47), 60);
  assert.equal(axisMax(1), 4);
  assert.equal(axisMax(0), 4);
  assert.equal(axisMax(0.3), 0.32, "steps of 0.08");
  assert.equal(axisMax(12_345), 16_000);
  assert.deepEqual([0, 15, 1500, 16_000, 0.15].map(tickText), ["0", "15", "1,500", "16k", "0.15"]);
});

Deno.test("a stacked panel piles its bars and its axis spans their sums (tokens by model)", () => {
  const html = renderToString(
    <MetricsChart
      title="Tokens by model"
      capacity={2}
      panels={[{
        unit: "Tokens",
        stacked: true,
        series: [
          {
            label: "qwen",
            kind: "bars",
            stroke: "stroke-indigo-500",
            swatch: "fill-indigo-500",
            values: [300, 100],
          },
          {
            label: "llama",
            kind: "bars",
            stroke: "stroke-amber-500",
            swatch: "fill-amber-500",
            values: [500, 0],
          },
        ],
      }]}
    />,
  );
  const doc = parse(html);
  assert.equal(doc.querySelector("[data-testid=chart-y-ticks] span")!.textContent, "800");
  const qwen = doc.querySelector("rect[data-bar=qwen]")!;
  const llama = doc.querySelector("rect[data-bar=llama]")!;
  assert.equal(Number(qwen.getAttribute("x")), Number(llama.getAttribute("x")), "one column per slot");
  assert.ok(
    Math.abs(
      Number(llama.getAttribute("y")) + Number(llama.getAttribute("height")) - Number(qwen.getAttribute("y")),
    ) <
      1e-6,
    "llama sits on qwen",
  );
  assert.equal(Number(llama.getAttribute("y")), 0, "the sum reaches the top of the axis");
});
