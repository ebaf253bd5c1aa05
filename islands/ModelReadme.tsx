import { renderMarkdown } from "../lib/markdown/mod.ts";

/** Props of {@link ModelReadme}. */
export interface ModelReadmeProps {
  /** The README, without its front matter. */
  text: string;
}

/** A model card, rendered as Markdown without its HTML comments (code blocks copy and highlight in the browser). */
export default function ModelReadme({ text }: ModelReadmeProps) {
  return (
    <div class="md space-y-3" data-testid="model-readme">{renderMarkdown(text, { hideComments: true })}</div>
  );
}
