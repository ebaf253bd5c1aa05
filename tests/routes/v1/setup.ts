/**
 * The real app on loopback with the fake model server, an admin, and a key,
 * for the `/v1` tests that talk to it with the official `openai` client.
 *
 * @module
 */
import OpenAI from "openai";
import { type TestRuntime, testRuntime, type TestRuntimeOptions } from "../../helpers/runtime.ts";
import { createUser, json, type TestUser } from "../../helpers/auth.ts";
import { createProfile, modelDir, serverEnv } from "../../helpers/servers.ts";
import type { Profile } from "../../../db/profiles.ts";
import type { CreatedApiKey } from "../../../services/keys/mod.ts";
import type { ServerVersion } from "../../helpers/versions.ts";

/** A running app, its URL and its first (admin) account. */
export interface Gateway extends AsyncDisposable {
  rt: TestRuntime;
  url: string;
  admin: TestUser;
  /** Creates a key through `POST /api/keys` for `user` (the admin by default). */
  key(body?: Record<string, unknown>, user?: TestUser): Promise<CreatedApiKey>;
  /** An `openai` client for `/v1` with `apiKey`. */
  client(apiKey: string, options?: Partial<ConstructorParameters<typeof OpenAI>[0]>): OpenAI;
  /** Creates a profile whose fake server has `knobs` (`{ load_delay_ms, token_delay_ms, reply, … }`). */
  profile(fields?: Partial<Profile>, knobs?: Record<string, unknown>): Promise<Profile>;
  /** Stops listening (the machine went away); its services keep running. */
  unplug(): Promise<void>;
  /** Listens again on the same port. */
  plugIn(): void;
}

/** Starts the app with the fake server (as `version`) and short intervals. */
export async function startGateway(
  env: Record<string, string> = {},
  runtime: TestRuntimeOptions["runtime"] = {},
  version: ServerVersion = "1.5.1",
): Promise<Gateway> {
  const rt = await testRuntime({ env: serverEnv(env, version), runtime });
  const serve = (port: number) => Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, rt.app.fetch);
  let server: Deno.HttpServer<Deno.NetAddr> | null = serve(0);
  const port = server.addr.port;
  const url = `http://127.0.0.1:${port}`;
  const admin = await createUser(rt, { admin: true });
  const close = async () => {
    await server?.shutdown();
    await rt.close();
  };
  return {
    rt,
    url,
    admin,
    async unplug() {
      await server?.shutdown();
      server = null;
    },
    plugIn() {
      server ??= serve(port);
    },
    async key(body = {}, user = admin) {
      const res = await rt.app.request(
        "/api/keys",
        json("POST", { name: "test key", ...body }, user.headers),
      );
      if (res.status !== 201) throw new Error(`Cannot create a key: ${res.status} ${await res.text()}`);
      return await res.json();
    },
    client(apiKey, options = {}) {
      return new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0, ...options });
    },
    async profile(fields = {}, knobs = {}) {
      return await createProfile(rt, admin, {
        model_path: await modelDir(rt.dataDir, { load_delay_ms: 50, token_delay_ms: 1, ...knobs }),
        ...fields,
      });
    },
    [Symbol.asyncDispose]: close,
  };
}
