/**
 * The dialogs of a saved conversation: renaming it and confirming its deletion.
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import type { ConversationSummary } from "../../lib/chat/types.ts";
import { ConfirmDialog, Dialog } from "../ui/Dialog.tsx";
import { FormActions } from "../ui/Buttons.tsx";
import { BoundInput } from "../ui/Field.tsx";

/** Props of {@link RenameDialog}. */
export interface RenameDialogProps {
  /** The conversation being renamed; null when the dialog is closed. */
  conversation: ConversationSummary | null;
  onRename: (c: ConversationSummary, title: string) => void;
  onClose: () => void;
}

function RenameForm(
  { conversation, onRename, onClose }: RenameDialogProps & { conversation: ConversationSummary },
) {
  const title = useSignal(conversation.title);
  return (
    <form
      class="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        onRename(conversation, title.value);
      }}
    >
      <BoundInput aria-label="Title" maxLength={200} bind={title} data-testid="rename-input" />
      <FormActions submitLabel="Rename" submitTestId="rename-save" onCancel={onClose} />
    </form>
  );
}

/** Asks for a conversation's new title, starting from its current one. */
export function RenameDialog(props: RenameDialogProps) {
  const { conversation } = props;
  return (
    <Dialog open={conversation !== null} title="Rename conversation" onClose={props.onClose}>
      {conversation && <RenameForm key={conversation.id} {...props} conversation={conversation} />}
    </Dialog>
  );
}

/** Props of {@link DeleteDialog}. */
export interface DeleteDialogProps {
  /** The conversation to delete; null when the dialog is closed. */
  conversation: ConversationSummary | null;
  onDelete: (c: ConversationSummary) => void;
  onClose: () => void;
}

/** Confirms the deletion of a conversation. */
export function DeleteDialog({ conversation, onDelete, onClose }: DeleteDialogProps) {
  return (
    <ConfirmDialog
      open={conversation !== null}
      title="Delete conversation"
      message={`Delete "${conversation?.title ?? ""}"? This cannot be undone.`}
      confirmLabel="Delete"
      danger
      onConfirm={() => conversation && onDelete(conversation)}
      onCancel={onClose}
    />
  );
}
