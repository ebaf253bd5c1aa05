import { useSignal } from "@preact/signals";
/** placeholder */
export default function ServerBoard(_: { servers: unknown[] }) {
  const x = useSignal(0);
  return <section data-testid="server-board">{x.value}</section>;
}
