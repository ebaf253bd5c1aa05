/**
 * Accounts for tests, created through the real service.
 *
 * @module
 */
import type { Runtime } from "../../app.ts";

/** A signed-in test user. */
export interface TestUser {
  id: number;
  email: string;
  password: string;
  token: string;
  /** `Authorization: Bearer` headers. */
  headers: Record<string, string>;
}

let counter = 0;

/** Registers (and, unless it is the first account, approves) a user, then signs in. */
export async function createUser(
  rt: Runtime,
  options: { admin?: boolean; email?: string; password?: string } = {},
): Promise<TestUser> {
  const { accounts } = rt.deps;
  const email = options.email ?? `user${++counter}-${crypto.randomUUID().slice(0, 6)}@example.com`;
  const password = options.password ?? "correct horse battery";
  const user = await accounts.register({ email, password });
  if (user.status !== "approved" || options.admin !== user.is_admin) {
    const admin = accounts.list().find((u) => u.is_admin && u.status === "approved")!;
    accounts.update(admin.id, user.id, { status: "approved", is_admin: options.admin ?? false });
  }
  const { token } = await accounts.login({ email, password, client: "test" });
  return { id: user.id, email, password, token, headers: { authorization: `Bearer ${token}` } };
}

/** Creates the first account (an admin) and a plain approved user. */
export async function adminAndUser(rt: Runtime): Promise<{ admin: TestUser; user: TestUser }> {
  const admin = await createUser(rt, { admin: true });
  const user = await createUser(rt);
  return { admin, user };
}

/** JSON request init with Bearer auth. */
export function json(method: string, body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}
