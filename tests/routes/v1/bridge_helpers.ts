/**
 * Helpers of the bridge tests: the chat requests the fake server received,
 * and a bridged stream read as its named events.
 *
 * @module
 */
import { sseBlocks } from "../../helpers/sse.ts";

/** A temporary record file for a fake server, and the chat bodies it received. */
export async function recorder(): Promise<
  { file: string; bodies(): Promise<Record<string, unknown>[]>; [Symbol.asyncDispose](): Promise<void> }
> {
  const dir = await Deno.makeTempDir({ prefix: "bridge-record-" });
  const file = `${dir}/record.jsonl`;
  return {
    file,
    async bodies() {
      const text = await Deno.readTextFile(file).catch(() => "");
      return text.split("\n").filter(Boolean).map((l) => JSON.parse(l)).filter((r) => r.event === "request")
        .map((r) => r.body);
    },
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }).catch(() => {}),
  };
}

/** One event of a stream: its name, its data parsed, or a comment. */
export interface StreamEvent {
  event?: string;
  data?: Record<string, unknown>;
  comment?: string;
}

/** Every event of an SSE response, comments included, until it ends. */
export async function events(response: Response): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const block of sseBlocks(response, AbortSignal.timeout(20_000))) {
    if (block.comment !== undefined) out.push({ comment: block.comment });
    else out.push({ event: block.event, data: block.data ? JSON.parse(block.data) : undefined });
  }
  return out;
}

/** POSTs `body` as JSON to the gateway with `headers`. */
export function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}
