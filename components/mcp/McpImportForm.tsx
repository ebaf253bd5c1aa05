/**
 * The dialog that imports servers from an `mcp.json` file's content.
 * Use inside an island; remount it (a new `key`) to start over.
 *
 * @module
 */
import { FormDialog } from "../ui/Dialog.tsx";
import { AreaField } from "../ui/Field.tsx";
import { api } from "../../lib/client/api.ts";
import { useForm } from "../../lib/client/form.ts";
import { toast } from "../../lib/client/toast.ts";
import type { McpServerView } from "../../lib/mcp_types.ts";

interface ImportOutcome {
  created: McpServerView[];
  skipped: { name: string; reason: string }[];
}

/** Props of {@link McpImportForm}. */
export interface McpImportFormProps {
  open: boolean;
  onClose: () => void;
  /** After an import. */
  onImported: () => void | Promise<void>;
}

/** The pasted JSON, or a message a person can act on. */
function parseImport(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new SyntaxError("This is not JSON: paste the content of an mcp.json file");
  }
}

/** Pastes an mcp.json (LM Studio's and Claude Desktop's format) to add its servers. */
export function McpImportForm({ open, onClose, onImported }: McpImportFormProps) {
  const form = useForm({
    initial: { json: "" },
    labels: { json: "mcp.json" },
    send: ({ json }) => api<ImportOutcome>("/api/mcp/import", { body: parseImport(json) }),
    onDone: async (outcome) => {
      const skipped = outcome.skipped.map((s) => `${s.name} (${s.reason})`).join("; ");
      toast(
        `Imported ${outcome.created.length} server(s)${skipped ? `; skipped ${skipped}` : ""}`,
        outcome.created.length ? "success" : "info",
      );
      await onImported();
    },
  });
  return (
    <FormDialog open={open} title="Import mcp.json" onClose={onClose} form={form} submitLabel="Import">
      <AreaField
        label="mcp.json"
        {...form.area("json")}
        id="mcp-import"
        name="import"
        mono
        rows={10}
        hint='The format of LM Studio and Claude Desktop: {"mcpServers": {"name": {"command": …, "args": […]}}}'
      />
    </FormDialog>
  );
}
