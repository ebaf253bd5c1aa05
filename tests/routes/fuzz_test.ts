import assert from "node:assert/strict";
import { listen, testRuntime } from "../helpers/runtime.ts";
import { adminAndUser, type TestUser } from "../helpers/auth.ts";
import { mapLimit } from "../../lib/pool.ts";
import { createProfile, modelDir, serverEnv } from "../helpers/servers.ts";

/** Path parameters no route should take: not numbers, too large, encoded separators and NULs, traversal. */
const BAD_PARAMS = [
  "0",
  "-1",
  "abc",
  "1.5",
  "99999999999999999999999",
  "%00",
  "%FF",
  "..%2F..%2Fetc%2Fpasswd",
  "%2Fetc%2Fpasswd",
  "a".repeat(500),
  "%F0%9F%92%A9",
  "1e308",
  "null",
];

/** Bodies as broken clients and attackers send them, each with its content type. */
const BAD_BODIES: [type: string | null, body: string][] = [
  ["application/json", ""],
  ["application/json", "null"],
  ["application/json", "[]"],
  ["application/json", "123"],
  ["application/json", '"text"'],
  ["application/json", "{"],
  ["application/json", '{"a":'],
  ["application/json", "{}"],
  ["application/json", '{"name":null,"email":null,"password":null,"title":null,"model_id":null,"port":null}'],
  [
    "application/json",
    '{"name":[],"email":{},"password":1,"title":true,"model_id":7,"port":"x","messages":"x"}',
  ],
  ["application/json", '{"port":1e400,"context_length":-1,"id":"1 OR 1=1","__proto__":{"admin":true}}'],
  ["application/json", "[".repeat(5000) + "]".repeat(5000)],
  ["application/json", JSON.stringify({ messages: [{ role: "nope", content: null }], model: null })],
  ["application/json", '{"email":"\u0000@x","password":"\ud800"}'],
  ["text/plain", "hello"],
  ["application/x-www-form-urlencoded", "a=%zz&&=&password"],
  ["multipart/form-data; boundary=zzz", "--zzz\r\nbroken"],
  ["application/xml", "<a/>"],
  [null, "{}"],
];

const BAD_QUERIES = [
  "?limit=-1&offset=abc&q=%FF&format=zzz&force=maybe&new_name=&tags=,,,&sort=x&max_size_gb=-3&lines=abc",
  "?limit=1e999&offset=-0&query=" + "x".repeat(3000) + "&author=../..&new_name=" + "n".repeat(500),
  "?%00=%00&lines=99999999999&since=yesterday",
];

/** Concrete paths for a route pattern, with every parameter replaced by `value`. */
function fill(pattern: string, value: string): string {
  return pattern.replace(/:[A-Za-z_]+(\{[^}]*\})?/g, value).replace(/\*$/, value);
}

interface Finding {
  who: string;
  method: string;
  path: string;
  body?: string;
  status: number | string;
}

Deno.test("route fuzz: malformed ids, bodies and queries on every route never answer 5xx or hang", async () => {
  await using rt = await testRuntime({ env: serverEnv({ MLX_MANAGER_HEALTH_INTERVAL: "60" }) });
  const { admin, user } = await adminAndUser(rt);
  // Id 1 names something real on the routes that take ids: bad bodies reach the service, not a 404.
  await createProfile(rt, admin, { model_path: await modelDir(rt.dataDir), name: "fuzzed" });
  rt.deps.conversations.create(admin.id, { title: "fuzzed" });
  const server = listen(rt);
  const routes = new Map<string, { method: string; path: string }>();
  for (const r of rt.app.routes) {
    if (!["GET", "POST", "PUT", "PATCH", "DELETE"].includes(r.method)) continue;
    if (r.path.includes("*") && r.path !== "/*") continue;
    // Signing out would end the fuzzing session; it takes no input anyway.
    if (r.path.endsWith("/logout")) continue;
    routes.set(`${r.method} ${r.path}`, { method: r.method, path: r.path });
  }
  assert.ok(routes.size > 40, `${routes.size} routes found`);

  const cases: {
    who: [string, TestUser | null];
    method: string;
    path: string;
    type: string | null;
    body?: string;
  }[] = [];
  const people: [string, TestUser | null][] = [["admin", admin], ["user", user], ["anonymous", null]];
  for (const { method, path } of routes.values()) {
    const hasBody = method !== "GET" && method !== "DELETE";
    const params = path.includes(":") ? BAD_PARAMS : [""];
    params.forEach((value, i) => {
      const [type, body] = BAD_BODIES[i % BAD_BODIES.length];
      const query = BAD_QUERIES[i % BAD_QUERIES.length];
      cases.push({
        who: people[i % people.length],
        method,
        path: fill(path, value) + query,
        type,
        body: hasBody ? body : undefined,
      });
    });
    if (hasBody) {
      for (const who of people) {
        for (const [type, body] of BAD_BODIES) cases.push({ who, method, path: fill(path, "1"), type, body });
      }
    }
  }

  const findings: Finding[] = [];
  try {
    await mapLimit(cases, 6, async (c) => {
      const headers: Record<string, string> = { ...(c.who[1]?.headers ?? {}) };
      if (c.type) headers["content-type"] = c.type;
      try {
        const res = await fetch(`${server.url}${c.path}`, {
          method: c.method,
          headers,
          body: c.body,
          redirect: "manual",
          signal: AbortSignal.timeout(10_000),
        });
        await res.body?.cancel();
        // launchd answers 501 off macOS whatever it is asked: the machine cannot, whatever the input.
        const offMac = res.status === 501 && c.path.startsWith("/api/system/launchd/") &&
          Deno.build.os !== "darwin";
        if (res.status >= 500 && !offMac) {
          findings.push({
            who: c.who[0],
            method: c.method,
            path: c.path.slice(0, 120),
            body: c.body?.slice(0, 80),
            status: res.status,
          });
        }
      } catch (error) {
        findings.push({
          who: c.who[0],
          method: c.method,
          path: c.path.slice(0, 120),
          body: c.body?.slice(0, 80),
          status: String(error),
        });
      }
    });
  } finally {
    await server.stop();
  }
  const summary = [
    ...new Set(
      findings.map((f) => `${f.status} ${f.who} ${f.method} ${f.path.split("?")[0]} ${f.body ?? ""}`),
    ),
  ];
  assert.deepEqual(summary, [], `${findings.length} of ${cases.length} requests failed`);
});

Deno.test("POST /api/auth/login with the JSON body null answers 422 naming the missing fields", async () => {
  await using rt = await testRuntime();
  for (const body of ["null", "[]", "7"]) {
    const res = await rt.app.request("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    assert.equal(res.status, 422, body);
    assert.match((await res.json()).detail, /Password is required/);
  }
});

Deno.test("POST /api/conversations with {} or no title creates a conversation with the default title", async () => {
  await using rt = await testRuntime();
  const { user } = await adminAndUser(rt);
  for (const body of [{}, { system_prompt: "Be brief" }]) {
    const res = await rt.app.request("/api/conversations", {
      method: "POST",
      headers: { ...user.headers, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 201);
    assert.equal((await res.json()).title, "New chat");
  }
});
