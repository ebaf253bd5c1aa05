/**
 * Splits a Server-Sent-Events text stream into `data` payloads: used on the
 * model server's answer and, in the browser, on the chat endpoint's. Browser-safe.
 *
 * Tolerant of what OpenAI-compatible servers really send: `data:` with or
 * without a space, `\n`, `\r\n` or `\r` line ends, comments and other fields,
 * multi-line `data`, and lines cut anywhere across network reads.
 *
 * @module
 */

/**
 * An incremental SSE decoder.
 *
 * @example
 * ```ts
 * const lines = new SseDataDecoder();
 * lines.push('data: {"a"'); // []
 * lines.push(':1}\n\n');     // ['{"a":1}']
 * ```
 */
export class SseDataDecoder {
  #buffer = "";
  #data: string[] = [];
  #pendingCr = false;

  /** Feeds decoded text; returns the payloads of the events it completed. */
  push(text: string): string[] {
    const out: string[] = [];
    let start = 0;
    let i = 0;
    // A "\r\n" split across two reads must not count as two line ends.
    if (this.#pendingCr && text.startsWith("\n")) {
      start = i = 1;
    }
    this.#pendingCr = false;
    for (; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch !== 10 && ch !== 13) continue;
      this.#line(this.#buffer + text.slice(start, i), out);
      this.#buffer = "";
      if (ch === 13) {
        if (i + 1 === text.length) this.#pendingCr = true;
        else if (text.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    this.#buffer += text.slice(start);
    return out;
  }

  /** Ends the stream: an event left without its blank line still counts. */
  end(): string[] {
    const out: string[] = [];
    if (this.#buffer) this.#line(this.#buffer, out);
    this.#buffer = "";
    this.#line("", out);
    return out;
  }

  #line(line: string, out: string[]): void {
    if (line === "") {
      if (this.#data.length) out.push(this.#data.join("\n"));
      this.#data = [];
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    if (field !== "data") return;
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    this.#data.push(value);
  }
}
