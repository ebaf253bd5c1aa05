/**
 * When exo is the right tool: one model larger than one Mac's memory. Shown
 * on the System page beside this Mac's memory.
 *
 * @module
 */

/** Props of {@link ExoNote}. */
export interface ExoNoteProps {
  /** This Mac's memory in bytes. */
  memoryBytes: number | null;
  /** Whether the reader may add upstreams. */
  isAdmin: boolean;
}

/** The exo paragraph of the System page. */
export function ExoNote({ memoryBytes, isAdmin }: ExoNoteProps) {
  const gb = memoryBytes ? Math.round(memoryBytes / 1024 ** 3) : null;
  return (
    <section class="card space-y-2 text-sm" aria-label="Models larger than this Mac" data-testid="exo-note">
      <h2 class="font-semibold">A model larger than this Mac</h2>
      <p>
        More models or more users than one Mac can carry: run MLX Manager on each Mac and add the others as
        {" "}
        {isAdmin ? <a class="underline" href="/upstreams">upstreams</a> : "upstreams"}; their models then
        answer on this endpoint with the same keys.
      </p>
      <p>
        One model that needs more than {gb ? `this Mac's ${gb} GB` : "one Mac's memory"} is a job for{" "}
        <a
          class="underline"
          href="https://github.com/exo-explore/exo"
          target="_blank"
          rel="noopener noreferrer"
        >
          exo
        </a>: it runs one model across several Macs (MLX distributed over Thunderbolt; tensor parallelism over
        RDMA needs Thunderbolt 5 and macOS 26.2 or later). Install and start exo on those Macs by its own
        instructions, then add it here as an upstream of kind <span class="mono">exo</span>{" "}
        at its API, by default{" "}
        <span class="mono">http://&lt;mac&gt;:52415/v1</span>. MLX Manager lists and routes exo's models; it
        does not start exo or place its instances.
      </p>
    </section>
  );
}
