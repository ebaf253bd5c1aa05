import assert from "node:assert/strict";
import { EMPTY_FORM, formBody, formValues } from "../../lib/mcp_form.ts";
import { SECRET_MASK } from "../../lib/mcp_types.ts";

Deno.test("formBody() turns the form's lines into a stdio or http server body", () => {
  assert.deepEqual(
    formBody({
      ...EMPTY_FORM,
      name: " files ",
      command: "npx",
      args: "-y\n @scope/server \n\n/tmp",
      env: "TOKEN=a=b\nEMPTY",
      approve: "some",
      approveTools: "read_file, list_dir",
    }),
    {
      name: "files",
      enabled: true,
      auto_approve: ["read_file", "list_dir"],
      transport: "stdio",
      command: "npx",
      args: ["-y", "@scope/server", "/tmp"],
      env: { TOKEN: "a=b", EMPTY: "" },
      cwd: null,
    },
  );
  assert.deepEqual(
    formBody({
      ...EMPTY_FORM,
      name: "r",
      transport: "http",
      url: "http://h/mcp",
      headers: "Authorization: Bearer x:y",
      approve: "all",
    }),
    {
      name: "r",
      enabled: true,
      auto_approve: true,
      transport: "http",
      url: "http://h/mcp",
      headers: { Authorization: "Bearer x:y" },
    },
  );
});

Deno.test("formValues() shows a server with its secrets masked, and saving it sends the masks back", () => {
  const values = formValues({
    id: 1,
    name: "files",
    transport: "stdio",
    command: "npx",
    args: ["-y", "s"],
    cwd: null,
    url: null,
    env: { TOKEN: SECRET_MASK },
    headers: {},
    enabled: false,
    auto_approve: ["a"],
    state: "disabled",
    error: null,
    tools: [],
    created_at: null,
    updated_at: null,
  });
  assert.equal(values.env, `TOKEN=${SECRET_MASK}`);
  assert.equal(values.approve, "some");
  assert.deepEqual(formBody(values).env, { TOKEN: SECRET_MASK });
  assert.equal(formBody(values).enabled, false);
});
