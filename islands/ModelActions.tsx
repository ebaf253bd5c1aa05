import { useSignal } from "@preact/signals";
import { DownloadProgress } from "../components/models/DownloadProgress.tsx";
import {
  DownloadButton,
  DownloadedBadge,
  GatedNotice,
  NewProfileLink,
  RunButton,
} from "../components/models/ModelButtons.tsx";
import { useDownloads } from "../lib/client/downloads.ts";
import { useHydrated } from "../lib/client/hooks.ts";
import { runModel } from "../lib/client/model_run.ts";
import type { DownloadView } from "../lib/model_types.ts";

/** Props of {@link ModelActions}. */
export interface ModelActionsProps {
  modelId: string;
  downloaded: boolean;
  /** The model's job with work left, if any. */
  download: DownloadView | null;
  /** Gated and no `HF_TOKEN`: the hub would refuse the download. */
  locked: boolean;
  hubUrl: string;
  /** The pre-filled new-profile link, for admins; null for users. */
  createProfileUrl: string | null;
  /** Whether Run is offered: for admins always, for users when a profile serves the model. */
  canRun: boolean;
}

/** Run and Download on a model's page, with the download's live progress. */
export default function ModelActions(props: ModelActionsProps) {
  const hydrated = useHydrated();
  const busy = useSignal(false);
  const downloaded = useSignal(props.downloaded);
  const downloads = useDownloads(props.download ? [props.download] : [], (d) => {
    if (d.model_id === props.modelId && d.status === "completed") downloaded.value = true;
  });
  const job = downloads.list.value.find((d) => d.model_id === props.modelId) ?? null;
  const downloading = job !== null && ["pending", "downloading", "paused"].includes(job.status);

  async function run() {
    busy.value = true;
    if (!await runModel(props.modelId)) busy.value = false;
  }
  async function download() {
    busy.value = true;
    await downloads.start(props.modelId);
    busy.value = false;
  }

  return (
    <div class="space-y-3" data-testid="model-actions" data-hydrated={hydrated ? "" : undefined}>
      <div class="flex flex-wrap items-center gap-2">
        {downloaded.value && <DownloadedBadge />}
        {props.locked && !downloaded.value
          ? <GatedNotice hubUrl={props.hubUrl} modelId={props.modelId} />
          : props.canRun
          ? <RunButton disabled={!hydrated || busy.value} onClick={run} />
          : (
            <span class="muted text-sm" data-testid="run-needs-profile">
              An admin creates its profile first.
            </span>
          )}
        {!downloaded.value && !downloading && !props.locked && (
          <DownloadButton disabled={!hydrated || busy.value} onClick={download} />
        )}
        {downloaded.value && props.createProfileUrl && <NewProfileLink href={props.createProfileUrl} />}
      </div>
      {job && downloading && <DownloadProgress d={job} onAction={downloads.act} />}
    </div>
  );
}
