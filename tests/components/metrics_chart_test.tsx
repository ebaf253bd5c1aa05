import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { DOMParser } from "linkedom";
import { MetricsChart } from "../../components/MetricsChart.tsx";

Deno.test("MetricsChart labels its y axis from 100 % down to 0 %, beside the SVG and without inline styles", () => {
  const html = renderToString(
    <MetricsChart
      title="Memory"
      capacity={10}
      series={[{
        label: "Memory used",
        stroke: "stroke-indigo-500",
        swatch: "fill-indigo-500",
        values: [10, 20],
      }]}
    />,
  );
  const doc = new DOMParser().parseFromString(`<html><body>${html}</body></html>`, "text/html");
  const ticks = [...doc.querySelectorAll("[data-testid=chart-y-ticks] span")].map((s) => s.textContent);
  assert.deepEqual(ticks, ["100 %", "75 %", "50 %", "25 %", "0 %"]);
  assert.equal(doc.querySelector("svg text"), null, "no text inside the stretched SVG");
  assert.doesNotMatch(html, /\sstyle=/);
});
