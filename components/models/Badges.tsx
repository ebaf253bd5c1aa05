import type { FitVerdict, ModelCharacteristics } from "../../lib/model_types.ts";
import { bitsLabel, formatParams } from "../../lib/model_filters.ts";
import { formatBytes } from "../../lib/format.ts";

/** Props of {@link ModelBadges}. */
export interface ModelBadgesProps {
  c: ModelCharacteristics | null;
  gated?: false | "auto" | "manual";
}

/** Family, size, quantization, vision, tool use and gating as small pills. */
export function ModelBadges({ c, gated }: ModelBadgesProps) {
  const params = formatParams(c?.parameter_count ?? null);
  return (
    <div class="flex flex-wrap gap-1" data-testid="model-badges">
      {c && c.architecture_family !== "Unknown" && (
        <span class="badge badge-blue" data-testid="badge-family">{c.architecture_family}</span>
      )}
      {params && <span class="badge badge-gray">{params}</span>}
      {c?.quantization_bits !== undefined && (
        <span class="badge badge-purple" data-testid="badge-bits">{bitsLabel(c.quantization_bits)}</span>
      )}
      {c?.is_multimodal && <span class="badge badge-green" data-testid="badge-vision">Vision</span>}
      {c?.is_tool_use && <span class="badge badge-yellow" data-testid="badge-tools">Tool use</span>}
      {gated && <span class="badge badge-red" title="Accept the licence on Hugging Face first">Gated</span>}
    </div>
  );
}

const FIT = {
  fits: { label: "Fits", tone: "badge-green" },
  tight: { label: "Tight fit", tone: "badge-yellow" },
  too_big: { label: "Too big", tone: "badge-red" },
  unknown: { label: "Fit unknown", tone: "badge-gray" },
} as const;

/** The "will it fit" verdict with the arithmetic in its tooltip. */
export function FitBadge({ fit }: { fit: FitVerdict }) {
  const { label, tone } = FIT[fit.verdict];
  const title = fit.needed_bytes === null
    ? "Size unknown"
    : `Needs about ${formatBytes(fit.needed_bytes)} (weights ${formatBytes(fit.weights_bytes)} + ${
      formatBytes(fit.kv_cache_bytes)
    } for ${fit.context_tokens.toLocaleString("en")} tokens of context); comfortable budget ${
      formatBytes(fit.budget_bytes)
    } of ${formatBytes(fit.total_memory_bytes)}`;
  return (
    <span class={`badge ${tone}`} title={title} data-testid="fit-badge" data-verdict={fit.verdict}>
      {label}
    </span>
  );
}

/**
 * The fit in a sentence: what the model needs of the memory models may use,
 * or why its size is unknown (none listed, or too little to be the weights
 * of its parameter count).
 */
export function fitSentence(fit: FitVerdict, parameters: number | null): string {
  if (fit.needed_bytes !== null) {
    return `Needs about ${formatBytes(fit.needed_bytes)} of the ${
      formatBytes(fit.budget_bytes)
    } models may use on this Mac (MLX_MANAGER_MAX_MEMORY_PERCENT).`;
  }
  const params = formatParams(parameters);
  if (fit.weights_bytes && params) {
    return `Its size is unknown: the ${
      formatBytes(fit.weights_bytes)
    } of weights its files list are too little for ${params} parameters, so whether it fits cannot be told.`;
  }
  return "Its size is unknown, so whether it fits cannot be told.";
}
