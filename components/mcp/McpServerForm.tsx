/**
 * The dialog that adds or changes an MCP server: a command on this Mac
 * (stdio) or a URL (HTTP), its secrets, and which tools run without asking.
 * Use inside an island; remount it (a new `key`) to start over.
 *
 * @module
 */
import { FormDialog } from "../ui/Dialog.tsx";
import { AreaField, Field, FieldNote } from "../ui/Field.tsx";
import { api } from "../../lib/client/api.ts";
import { useForm } from "../../lib/client/form.ts";
import { toast } from "../../lib/client/toast.ts";
import { EMPTY_FORM, formBody, formValues, type McpFormValues } from "../../lib/mcp_form.ts";
import type { McpServerView } from "../../lib/mcp_types.ts";

const LABELS: Record<string, string> = {
  name: "Name",
  transport: "Transport",
  command: "Command",
  args: "Arguments",
  env: "Environment",
  cwd: "Working folder",
  url: "URL",
  headers: "Headers",
  approveTools: "Run without asking",
};

/** Props of {@link McpServerForm}. */
export interface McpServerFormProps {
  open: boolean;
  /** The server to change; null adds one. */
  server: McpServerView | null;
  onClose: () => void;
  /** After a save. */
  onSaved: () => void | Promise<void>;
}

/** Adds or changes an MCP server, in a dialog. */
export function McpServerForm({ open, server, onClose, onSaved }: McpServerFormProps) {
  const id = server?.id ?? null;
  const form = useForm<McpFormValues>({
    initial: server ? formValues(server) : EMPTY_FORM,
    labels: LABELS,
    rename: { auto_approve: "approveTools" },
    send: (values) =>
      id === null
        ? api("/api/mcp/servers", { body: formBody(values) })
        : api(`/api/mcp/servers/${id}`, { method: "PUT", body: formBody(values) }),
    onDone: async (_, values) => {
      toast(`${values.name} saved`, "success");
      await onSaved();
    },
  });
  const v = form.values.value;
  const area = (name: "args" | "env" | "headers") => ({ ...form.area(name), id: `mcp-${name}`, mono: true });
  return (
    <FormDialog
      open={open}
      title={id === null ? "Add MCP server" : "Edit MCP server"}
      onClose={onClose}
      form={form}
      submitLabel="Save"
      testId="mcp-form"
    >
      <Field label={LABELS.name} {...form.text("name")} required />
      <div>
        <label class="label" for="mcp-transport">{LABELS.transport}</label>
        <select id="mcp-transport" class="input" {...form.choice("transport")}>
          <option value="stdio">stdio (a command on this Mac)</option>
          <option value="http">HTTP (Streamable HTTP or SSE)</option>
        </select>
      </div>
      {v.transport === "stdio"
        ? (
          <>
            <Field label={LABELS.command} {...form.text("command")} placeholder="npx" />
            <AreaField label={LABELS.args} {...area("args")} hint="One per line" />
            <AreaField
              label={LABELS.env}
              {...area("env")}
              hint="NAME=value per line; values are stored encrypted and shown masked (keep the mask to keep a value)"
            />
            <Field label={LABELS.cwd} {...form.text("cwd")} placeholder="optional, an absolute path" />
          </>
        )
        : (
          <>
            <Field label={LABELS.url} {...form.text("url")} placeholder="https://example.com/mcp" />
            <AreaField
              label={LABELS.headers}
              {...area("headers")}
              hint="Name: value per line, e.g. Authorization: Bearer …; stored encrypted and shown masked"
            />
          </>
        )}
      <div>
        <label class="label" for="mcp-approve">{LABELS.approveTools}</label>
        <select id="mcp-approve" class="input" {...form.choice("approve")}>
          <option value="none">Only read-only tools</option>
          <option value="some">Read-only tools and those listed</option>
          <option value="all">Every tool of this server</option>
        </select>
        {v.approve === "some" && (
          <input
            class="input mt-2"
            aria-label="Tools that run without asking"
            placeholder="tool names, separated by commas"
            value={v.approveTools}
            onInput={(e) => form.set({ approveTools: e.currentTarget.value })}
          />
        )}
        <FieldNote id="mcp-approve" name="approveTools" error={form.errors.value.fields.approveTools} />
      </div>
      <label class="flex items-center gap-2 text-sm">
        <input type="checkbox" {...form.check("enabled")} />
        Enabled
      </label>
    </FormDialog>
  );
}
