/**
 * Markdown for chat answers and model cards, rendered as Preact elements.
 *
 * @module
 */
export { Markdown, renderMarkdown } from "./render.tsx";
export { CodeBlock, type CodeBlockProps } from "./code_block.tsx";
