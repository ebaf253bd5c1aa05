/**
 * The hashing thread: one worker runs the {@link TailHasher}s of large files
 * beside the main thread, which only moves bytes from the network to disk.
 *
 * Messages in: `{ id, start: { path, digest } }`, `{ id, finish: size }`, `{ id, stop: true }`.
 * Messages out: `{ id, progress }`, `{ id, digest }`, `{ id, error }`, `{ id, stopped: true }`.
 *
 * @module
 */
import { type Digest, TailHasher } from "./tail_hash.ts";

interface Message {
  id: number;
  start?: { path: string; digest: Digest };
  finish?: number;
  stop?: boolean;
}

const hashers = new Map<number, TailHasher>();
const PROGRESS_STEP = 4 * 1024 * 1024;

self.onmessage = async (event: MessageEvent) => {
  const { id, start, finish, stop } = event.data as Message;
  try {
    if (start) {
      let sent = 0;
      hashers.set(
        id,
        new TailHasher(start.path, start.digest, (bytes) => {
          if (bytes - sent < PROGRESS_STEP) return;
          sent = bytes;
          self.postMessage({ id, progress: bytes });
        }),
      );
    } else if (finish !== undefined) {
      const digest = await hashers.get(id)!.finish(finish);
      self.postMessage({ id, progress: finish });
      self.postMessage({ id, digest });
    } else if (stop) {
      await hashers.get(id)?.stop();
      hashers.delete(id);
      self.postMessage({ id, stopped: true });
    }
  } catch (error) {
    self.postMessage({ id, error: (error as Error).message });
  }
};
