import { useSignal } from "@preact/signals";
import { useEvent } from "../lib/client/events.ts";

/** Props of {@link PendingBadge}. */
export interface PendingBadgeProps {
  /** The count when the page was rendered. */
  initial: number;
}

/** The count of registrations waiting for approval, kept live for admins. */
export default function PendingBadge({ initial }: PendingBadgeProps) {
  const count = useSignal(initial);
  useEvent("users.pending", (data) => count.value = data.count);
  if (count.value <= 0) return null;
  return (
    <span
      class="badge badge-red ml-1.5"
      data-testid="pending-badge"
      title={`${count.value} waiting for approval`}
    >
      {count.value}
    </span>
  );
}
