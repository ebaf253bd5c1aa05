import { useSignal } from "@preact/signals";
import { DownloadProgress } from "../components/models/DownloadProgress.tsx";
import { useDownloads } from "../lib/client/downloads.ts";
import { useEvent } from "../lib/client/events.ts";
import type { DownloadView } from "../lib/model_types.ts";

/** A run waiting for its download, with the download as the page was rendered. */
export interface RunInProgress {
  profile_id: number;
  profile_name: string;
  model_id: string;
  download_task_id: string;
  download: DownloadView | null;
}

/** Props of {@link RunProgress}. */
export interface RunProgressProps {
  runs: RunInProgress[];
}

/**
 * The dashboard's view of models being run in one step: each run's download,
 * live, then "starting" until the server's own tile takes over.
 */
export default function RunProgress(props: RunProgressProps) {
  const runs = useSignal(props.runs);
  const downloads = useDownloads(props.runs.flatMap((r) => r.download ? [r.download] : []));
  // Once the server moves, its tile above shows the rest of the way.
  useEvent("server.update", (s) => {
    if (s.state !== "stopped") runs.value = runs.value.filter((r) => r.profile_id !== s.profile_id);
  });
  if (runs.value.length === 0) return null;
  return (
    <section class="card mb-6 space-y-4" aria-label="Models being run" data-testid="run-progress">
      <h2 class="font-semibold">Getting models ready</h2>
      <ul class="space-y-4">
        {runs.value.map((r) => {
          const d = downloads.list.value.find((x) => x.task_id === r.download_task_id) ?? null;
          const ended = d?.status === "failed" || d?.status === "cancelled";
          return (
            <li key={r.profile_id} class="space-y-2" data-testid="run" data-profile-id={r.profile_id}>
              <p class="text-sm" data-testid="run-step">
                <b>{r.profile_name}</b>: {d?.status === "completed"
                  ? "downloaded — starting the server…"
                  : ended
                  ? `the download ${
                    d!.status
                  }, so the server was not started. Run it again from the Models page.`
                  : `downloading ${r.model_id}, then the server starts.`}
              </p>
              {d && <DownloadProgress d={d} onAction={downloads.act} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
