/**
 * Reads Server-Sent Events from a fetch response, for tests.
 *
 * @module
 */

/** One parsed SSE block: its fields, or a comment. */
export interface SseBlock {
  event?: string;
  id?: string;
  data?: string;
  retry?: string;
  comment?: string;
}

/** Yields each SSE block of `response` until the stream ends or `signal` aborts. */
export async function* sseBlocks(response: Response, signal?: AbortSignal): AsyncGenerator<SseBlock> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  signal?.addEventListener("abort", () => reader.cancel().catch(() => {}), { once: true });
  let buffer = "";
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block: SseBlock = {};
        for (const line of buffer.slice(0, end).split("\n")) {
          if (line.startsWith(":")) block.comment = line.slice(1).trim();
          else {
            const colon = line.indexOf(":");
            const key = line.slice(0, colon) as keyof SseBlock;
            const val = line.slice(colon + 1).replace(/^ /, "");
            block[key] = key === "data" && block.data !== undefined ? `${block.data}\n${val}` : val;
          }
        }
        buffer = buffer.slice(end + 2);
        yield block;
      }
    }
  } finally {
    // Cancelling the decoded stream cancels the response body, which closes the connection.
    await reader.cancel().catch(() => {});
  }
}

/** Collects blocks until `until` returns true for one (included), or the timeout passes. */
export async function collectSse(
  response: Response,
  until: (block: SseBlock, all: SseBlock[]) => boolean,
  timeoutMs = 5000,
): Promise<SseBlock[]> {
  const all: SseBlock[] = [];
  const blocks = sseBlocks(response, AbortSignal.timeout(timeoutMs));
  try {
    for await (const block of blocks) {
      all.push(block);
      if (until(block, all)) break;
    }
  } finally {
    await blocks.return(undefined);
  }
  return all;
}
