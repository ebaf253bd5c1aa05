/**
 * GitHub task lists for markdown-it: a list item whose text begins with
 * `[ ]` or `[x]` is marked as a task, and the marker is removed from its text.
 *
 * @module
 */
import type { MarkdownIt, StateCore } from "markdown-it";

const MARKER = /^\[([ xX])\][ \t]/;

/**
 * Sets `meta.task` to `"open"` or `"done"` on the `list_item_open` token of
 * each task item; the renderer shows a check box for it.
 *
 * @example
 * ```ts
 * const md = markdownIt().use(taskLists);
 * md.parse("- [x] done", {})[1].meta; // { task: "done" }
 * ```
 */
export function taskLists(md: MarkdownIt): void {
  md.core.ruler.after("inline", "task_lists", (state: StateCore) => {
    const tokens = state.tokens;
    for (let i = 2; i < tokens.length; i++) {
      const inline = tokens[i];
      if (inline.type !== "inline" || tokens[i - 1].type !== "paragraph_open") continue;
      if (tokens[i - 2].type !== "list_item_open") continue;
      const first = inline.children?.[0];
      if (!first || first.type !== "text") continue;
      const match = MARKER.exec(first.content);
      if (!match) continue;
      tokens[i - 2].meta = { ...tokens[i - 2].meta, task: match[1] === " " ? "open" : "done" };
      first.content = first.content.slice(match[0].length);
    }
    return false;
  });
}
