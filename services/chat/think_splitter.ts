/**
 * Separates reasoning written inline as `<think>…</think>` from the answer,
 * on a stream of text pieces cut anywhere — including in the middle of a tag.
 *
 * Only a suffix that could still become a tag is held back, so text flows on
 * as it arrives and a held-back `<th` that turns out to be plain text is
 * released as soon as that is known.
 *
 * @module
 */

/** A run of text and whether it is reasoning or answer. */
export interface TextPart {
  kind: "thinking" | "response";
  text: string;
}

/** A tag boundary seen in the stream. */
export interface TagPart {
  kind: "open" | "close";
}

/** What {@link ThinkSplitter.push} yields, in stream order. */
export type SplitPart = TextPart | TagPart;

const OPEN = "<think>";
const CLOSE = "</think>";

/** Length of the longest suffix of `text` that is a proper prefix of `tag`. */
function partialTagAt(text: string, tag: string): number {
  const max = Math.min(text.length, tag.length - 1);
  for (let n = max; n > 0; n--) {
    if (text.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}

/**
 * The streaming tag splitter.
 *
 * @example
 * ```ts
 * const s = new ThinkSplitter();
 * s.push("<thi");              // []
 * s.push("nk>plan</th");       // [{kind:"open"}, {kind:"thinking", text:"plan"}]
 * s.push("ink>Paris");         // [{kind:"close"}, {kind:"response", text:"Paris"}]
 * s.flush();                   // []
 * ```
 */
export class ThinkSplitter {
  #held = "";
  #thinking = false;

  /** Whether the text now flowing is reasoning. */
  get thinking(): boolean {
    return this.#thinking;
  }

  /** Feeds a piece of content; returns the parts it completed. */
  push(piece: string): SplitPart[] {
    const out: SplitPart[] = [];
    let text = this.#held + piece;
    this.#held = "";
    while (text.length) {
      const tag = this.#thinking ? CLOSE : OPEN;
      const at = text.indexOf(tag);
      // A stray closing tag while answering is dropped (some templates open <think> in the prompt).
      const stray = this.#thinking ? -1 : text.indexOf(CLOSE);
      if (stray >= 0 && (at < 0 || stray < at)) {
        this.#emit(out, text.slice(0, stray));
        text = text.slice(stray + CLOSE.length);
        continue;
      }
      if (at >= 0) {
        this.#emit(out, text.slice(0, at));
        out.push({ kind: this.#thinking ? "close" : "open" });
        this.#thinking = !this.#thinking;
        text = text.slice(at + tag.length);
        continue;
      }
      const keep = Math.max(partialTagAt(text, tag), this.#thinking ? 0 : partialTagAt(text, CLOSE));
      this.#emit(out, text.slice(0, text.length - keep));
      this.#held = text.slice(text.length - keep);
      break;
    }
    return out;
  }

  /** Ends the stream: releases any held-back text as it stands. */
  flush(): SplitPart[] {
    const out: SplitPart[] = [];
    this.#emit(out, this.#held);
    this.#held = "";
    return out;
  }

  #emit(out: SplitPart[], text: string): void {
    if (!text) return;
    const kind = this.#thinking ? "thinking" : "response";
    const last = out.at(-1);
    if (last && last.kind === kind) (last as TextPart).text += text;
    else out.push({ kind, text });
  }
}
