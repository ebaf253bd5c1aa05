/**
 * The copyable examples of the dashboard's Connect card: how curl, the
 * Python and TypeScript `openai` clients, Open WebUI and Continue reach the
 * OpenAI endpoint. Pure and browser-safe.
 *
 * @module
 */

// The example's own import line, spelled so that import scanners do not take it for this module's import.
const FROM = "from";

/** One example. */
export interface Snippet {
  id: "curl" | "python" | "typescript" | "open-webui" | "continue";
  label: string;
  text: string;
}

/**
 * The examples for a base URL (`http://host:port/v1`), a key and a model name.
 *
 * @example
 * ```ts
 * snippets("http://127.0.0.1:8080/v1", "mlxm_…", "qwen3")[0].text; // "curl http://127.0.0.1:8080/v1/chat/completions …"
 * ```
 */
export function snippets(baseUrl: string, key: string, model: string): Snippet[] {
  const m = JSON.stringify(model);
  return [
    {
      id: "curl",
      label: "curl",
      text: `curl ${baseUrl}/chat/completions \\
  -H "Authorization: Bearer ${key}" \\
  -H "Content-Type: application/json" \\
  -d '{"model": ${m.replaceAll("'", "'\\''")}, "messages": [{"role": "user", "content": "Hello"}]}'`,
    },
    {
      id: "python",
      label: "Python",
      text: `from openai import OpenAI

client = OpenAI(base_url="${baseUrl}", api_key="${key}")
reply = client.chat.completions.create(
    model=${m},
    messages=[{"role": "user", "content": "Hello"}],
)
print(reply.choices[0].message.content)`,
    },
    {
      id: "typescript",
      label: "TypeScript",
      text: `import OpenAI ${FROM} "openai";

const client = new OpenAI({ baseURL: "${baseUrl}", apiKey: "${key}" });
const reply = await client.chat.completions.create({
  model: ${m},
  messages: [{ role: "user", content: "Hello" }],
});
console.log(reply.choices[0].message.content);`,
    },
    {
      id: "open-webui",
      label: "Open WebUI",
      text: `Admin Settings → Connections → OpenAI API → Add connection
URL: ${baseUrl}
Key: ${key}
(or start it with OPENAI_API_BASE_URL=${baseUrl} OPENAI_API_KEY=${key})`,
    },
    {
      id: "continue",
      label: "Continue",
      text: `# ~/.continue/config.yaml
models:
  - name: ${model}
    provider: openai
    model: ${m}
    apiBase: ${baseUrl}
    apiKey: ${key}`,
    },
  ];
}
