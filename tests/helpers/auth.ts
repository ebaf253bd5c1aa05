/**
 * Accounts for tests, created through the real service.
 *
 * @module
 */
import type { Runtime } from "../../runtime.ts";
import { TokenSigner } from "../../services/accounts/tokens.ts";

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

/**
 * Bearer headers of the first approved admin (profiles are an admin's to change), for helpers that
 * set up shared things whoever the test's user is.
 */
export async function adminHeaders(rt: Runtime): Promise<Record<string, string>> {
  const { accounts } = rt.deps;
  const { db } = rt;
  const admin = accounts.list().find((u) => u.is_admin && u.status === "approved");
  if (!admin) throw new Error("No admin: create one first (createUser(rt, { admin: true }))");
  const { token_version } = db.prepare("SELECT token_version FROM users WHERE id = ?").get(admin.id) as {
    token_version: number;
  };
  return { authorization: `Bearer ${await accounts.signer.issue(admin.id, token_version)}` };
}

/**
 * Whether the runtime accepts a session token of `user` signed with `secret`: it signs with that
 * secret, as read from its `jwt-secret` file.
 */
export async function acceptsTokensSignedWith(rt: Runtime, user: TestUser, secret: string): Promise<boolean> {
  const token = await new TokenSigner(secret, 3600).issue(user.id, 0);
  return (await rt.deps.accounts.authenticate(token))?.id === user.id;
}
