/**
 * The actions a model offers wherever it is shown (a search result, its own
 * page): the Downloaded badge, Run, Download, New profile, and the notice for
 * a gated repo the hub would refuse. One place for their look, text and test ids.
 *
 * @module
 */

/** "✓ Downloaded". */
export function DownloadedBadge() {
  return <span class="badge badge-green" data-testid="downloaded-badge">✓ Downloaded</span>;
}

/** Props of {@link RunButton} and {@link DownloadButton}. */
export interface ModelButtonProps {
  disabled: boolean;
  onClick: () => void;
  /** The tooltip. */
  title?: string;
}

/** Run the model in one step (profile, download, start). */
export function RunButton({ disabled, onClick, title }: ModelButtonProps) {
  return (
    <button
      type="button"
      class="btn btn-primary"
      disabled={disabled}
      onClick={onClick}
      data-testid="run-button"
      title={title}
    >
      Run
    </button>
  );
}

/** Download the model into the cache. */
export function DownloadButton({ disabled, onClick }: ModelButtonProps) {
  return (
    <button
      type="button"
      class="btn btn-secondary"
      disabled={disabled}
      onClick={onClick}
      data-testid="download-button"
    >
      Download
    </button>
  );
}

/** The pre-filled new-profile form for the model. */
export function NewProfileLink({ href }: { href: string }) {
  return <a class="btn btn-secondary" href={href} data-testid="new-profile">New profile</a>;
}

/** Props of {@link GatedNotice}. */
export interface GatedNoticeProps {
  hubUrl: string;
  modelId: string;
  /** The tooltip. */
  title?: string;
}

/** A gated repo without `HF_TOKEN`: a link to the model's hub page, where the licence is accepted. */
export function GatedNotice({ hubUrl, modelId, title }: GatedNoticeProps) {
  return (
    <a
      href={`${hubUrl}/${modelId}`}
      target="_blank"
      rel="noopener noreferrer"
      class="badge badge-yellow"
      data-testid="gated-needs-token"
      title={title}
    >
      Needs HF_TOKEN and an accepted licence
    </a>
  );
}
