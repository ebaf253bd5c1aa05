import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { connected, useEvent } from "../lib/client/events.ts";

/** Props of {@link ServerBoard}. */
export interface ServerBoardProps {
  /** Servers known when the page was rendered. */
  servers: { id: number; name: string; state: string }[];
}

/** The live Servers dashboard. */
export default function ServerBoard({ servers }: ServerBoardProps) {
  const ready = useSignal(false);
  const list = useSignal(servers);
  useEffect(() => {
    ready.value = true;
  }, []);
  useEvent("server.update", (data) => {
    const update = data as { id: number; name: string; state: string };
    const rest = list.value.filter((s) => s.id !== update.id);
    list.value = [...rest, update].sort((a, b) => a.id - b.id);
  });
  return (
    <section class={ready.value ? "ready" : ""} data-testid="server-board">
      <p class="muted text-sm" data-testid="live-status">
        {connected.value ? "Live" : "Connecting…"}
      </p>
      <ul>
        {list.value.map((s) => <li key={s.id} data-testid="server-item">{s.name}: {s.state}</li>)}
      </ul>
    </section>
  );
}
