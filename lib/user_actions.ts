/**
 * What an admin may do to a user on the Users page, as data: each action's
 * button, its question, the API call and the toast after it. An admin is
 * never offered to disable, demote or delete themselves. Pure, browser-safe.
 *
 * @module
 */
import type { Limits } from "./limit_types.ts";

/** A user as the API lists it. */
export interface UserItem {
  id: number;
  email: string;
  is_admin: boolean;
  status: "pending" | "approved" | "disabled";
  created_at: string;
  /** Limits binding all the user's keys together. */
  limits?: Limits;
}

/** One action on a user. */
export interface UserAction {
  /** The button's text, and the confirm button's. */
  label: string;
  /** Why the action is not available; shown instead of running it. */
  unavailable?: string;
  title: string;
  message: string;
  danger?: boolean;
  /** The call on `/api/auth/users/:id`: a change (PUT with `body`) or DELETE. */
  method: "PUT" | "DELETE";
  body?: Record<string, unknown>;
  /** The toast once done. */
  done: string;
}

/** Why an admin cannot disable, demote or delete themselves: they would lock themselves out. */
export const SELF_REASON = "You cannot disable, demote or delete your own account: ask another admin";

/**
 * The actions offered for `u` to the admin `meId`, in button order.
 *
 * @example
 * ```ts
 * userActions({ id: 2, email: "bob@example.com", is_admin: false, status: "pending", created_at }, 1)
 *   .map((a) => a.label); // ["Approve", "Make admin", "Delete"]
 * ```
 */
export function userActions(u: UserItem, meId: number): UserAction[] {
  const self = u.id === meId;
  const who = self ? "your own account" : u.email;
  const selfReason = self ? SELF_REASON : undefined;
  const change = (body: Record<string, unknown>) => ({ method: "PUT" as const, body });
  const out: UserAction[] = [];
  if (u.status === "pending") {
    out.push({
      label: "Approve",
      title: "Approve user",
      message: `Let ${who} sign in?`,
      ...change({ status: "approved" }),
      done: `${u.email} approved`,
    });
  }
  if (u.status === "approved") {
    out.push({
      label: "Disable",
      unavailable: selfReason,
      title: "Disable user",
      message: `Disable ${who}? Their sessions end at once.`,
      danger: true,
      ...change({ status: "disabled" }),
      done: `${u.email} disabled`,
    });
  }
  if (u.status === "disabled") {
    out.push({
      label: "Re-enable",
      title: "Re-enable user",
      message: `Let ${who} sign in again?`,
      ...change({ status: "approved" }),
      done: `${u.email} re-enabled`,
    });
  }
  out.push(
    u.is_admin
      ? {
        label: "Remove admin",
        unavailable: selfReason,
        title: "Remove admin rights",
        message: `Remove admin rights from ${who}?`,
        danger: true,
        ...change({ is_admin: false }),
        done: `${u.email} is no longer an admin`,
      }
      : {
        label: "Make admin",
        title: "Make admin",
        message: `Give ${who} admin rights, including user administration?`,
        ...change({ is_admin: true }),
        done: `${u.email} is now an admin`,
      },
  );
  out.push({
    label: "Delete",
    unavailable: selfReason,
    title: "Delete user",
    message: `Delete ${who}? This cannot be undone.`,
    danger: true,
    method: "DELETE",
    done: `${u.email} deleted`,
  });
  return out;
}
