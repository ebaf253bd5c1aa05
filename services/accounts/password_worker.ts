/**
 * The password thread: argon2id hashing and verification beside the main
 * thread, so a burst of sign-ins or registrations does not stall every other
 * request while the hash runs.
 *
 * Messages in: `{ id, hash: password }`, `{ id, verify: { password, hash } }`.
 * Messages out: `{ id, result }` (a PHC string or a boolean), `{ id, error }`.
 *
 * @module
 */
import { hashPassword, verifyPassword } from "./passwords.ts";

interface Message {
  id: number;
  hash?: string;
  verify?: { password: string; hash: string };
}

self.onmessage = async (event: MessageEvent) => {
  const { id, hash, verify } = event.data as Message;
  try {
    const result = verify ? await verifyPassword(verify.password, verify.hash) : await hashPassword(hash!);
    self.postMessage({ id, result });
  } catch (error) {
    self.postMessage({ id, error: String(error) });
  }
};
