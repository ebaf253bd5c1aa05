import assert from "node:assert/strict";
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { parseHTML } from "linkedom";
import { SearchResultCard } from "../../components/models/SearchResultCard.tsx";
import type { DownloadView, SearchResult } from "../../lib/model_types.ts";
import { extractCharacteristics } from "../../services/hub/detection.ts";
import { fitVerdict } from "../../services/hub/fit.ts";
import { MODEL_CONFIGS } from "../fixtures/model_configs.ts";

const ID = "mlx-community/Qwen3-8B-4bit";
const characteristics = extractCharacteristics(MODEL_CONFIGS[ID], [], ID);
const result: SearchResult = {
  model_id: ID,
  author: "mlx-community",
  downloads: 10,
  likes: 1,
  estimated_size_gb: 4.19,
  size_bytes: 4_500_000_000,
  tags: ["mlx"],
  // Its small files are in the cache already…
  is_downloaded: true,
  last_modified: null,
  gated: false,
  characteristics,
  fit: fitVerdict(4.5e9, characteristics, 32 * 1024 ** 3),
  download: null,
};
const download: DownloadView = {
  task_id: "t1",
  model_id: ID,
  status: "downloading",
  progress: 10,
  downloaded_bytes: 450_000_000,
  total_bytes: 4_500_000_000,
  speed_bps: 1_000_000,
  eta_seconds: 4000,
  current_file: "model.safetensors",
  files_done: 3,
  files_total: 8,
  error: null,
  error_code: null,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
  completed_at: null,
};

function render(d: DownloadView | null) {
  const noop = () => {};
  const html = renderToString(
    h(SearchResultCard, {
      r: result,
      download: d,
      hubUrl: "",
      busy: false,
      onDownload: noop,
      onRun: noop,
      onAction: noop,
    }),
  );
  return parseHTML(`<!DOCTYPE html><html><body><ul>${html}</ul></body></html>`).document;
}

Deno.test("SearchResultCard shows a download under way as progress, not as Downloaded", () => {
  // …while its download runs.
  const during = render(download);
  assert.ok(during.querySelector("[data-testid=download-bar]"));
  assert.ok(
    !during.querySelector("[data-testid=downloaded-badge]"),
    "no Downloaded badge during the download",
  );
  assert.ok(!during.querySelector("[data-testid=new-profile]"), "no New profile during the download");

  const after = render({ ...download, status: "completed", progress: 100 });
  assert.ok(after.querySelector("[data-testid=downloaded-badge]"));
  assert.ok(after.querySelector("[data-testid=new-profile]"));
});
