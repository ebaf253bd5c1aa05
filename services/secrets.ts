/**
 * Encrypts small secrets (MCP servers' env and header values) for storage:
 * AES-256-GCM with a fresh 96-bit nonce per value and the value's place
 * (`server|field|name`) as additional data, so a ciphertext copied to another
 * row does not decrypt. The key is 32 random bytes in `<data dir>/secret.key`
 * (mode 0600), created on first use — never when this module is imported.
 *
 * @module
 */
import { join } from "node:path";
import { AppError } from "../lib/errors.ts";

/** The key file's name inside the data dir. */
export const KEY_FILE = "secret.key";

const PREFIX = "v1:";

function toBase64(bytes: Uint8Array): string {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/**
 * Encrypts and decrypts strings with the install's key.
 *
 * @example
 * ```ts
 * const box = new SecretBox("/home/ada/.mlx-manager");
 * const sealed = await box.seal("ghp_123", "4|env|GITHUB_TOKEN"); // "v1:…"
 * await box.open(sealed, "4|env|GITHUB_TOKEN");                    // "ghp_123"
 * ```
 */
export class SecretBox {
  readonly #path: string;
  #key: Promise<CryptoKey> | null = null;

  /** @param dataDir the folder that holds (or will hold) the key file */
  constructor(dataDir: string) {
    this.#path = join(dataDir, KEY_FILE);
  }

  /** Encrypts `plain`, bound to `context`. */
  async seal(plain: string, context: string): Promise<string> {
    const key = await this.#getKey();
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const sealed = new Uint8Array(
      await crypto.subtle.encrypt(
        { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(context) },
        key,
        new TextEncoder().encode(plain),
      ),
    );
    const out = new Uint8Array(iv.length + sealed.length);
    out.set(iv);
    out.set(sealed, iv.length);
    return PREFIX + toBase64(out);
  }

  /**
   * Decrypts a value made by {@link seal} with the same `context`. Throws an
   * `internal` AppError when the key changed or the value was tampered with.
   */
  async open(sealed: string, context: string): Promise<string> {
    const key = await this.#getKey();
    try {
      if (!sealed.startsWith(PREFIX)) throw new Error("unknown format");
      const bytes = fromBase64(sealed.slice(PREFIX.length));
      const plain = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: bytes.slice(0, 12), additionalData: new TextEncoder().encode(context) },
        key,
        bytes.slice(12),
      );
      return new TextDecoder().decode(plain);
    } catch (error) {
      throw new AppError(
        "internal",
        `Cannot decrypt a stored secret: ${this.#path} is not the key it was saved with. ` +
          "Restore that file, or enter the secret again",
        { cause: error },
      );
    }
  }

  #getKey(): Promise<CryptoKey> {
    this.#key ??= this.#loadOrCreate().catch((error) => {
      this.#key = null;
      throw error;
    });
    return this.#key;
  }

  async #loadOrCreate(): Promise<CryptoKey> {
    let raw: Uint8Array<ArrayBuffer> | null = null;
    try {
      raw = fromBase64((await Deno.readTextFile(this.#path)).trim());
      if (raw.length !== 32) {
        throw new AppError("internal", `${this.#path} is damaged: it must hold 32 bytes in base64`);
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    if (!raw) {
      raw = crypto.getRandomValues(new Uint8Array(32));
      await Deno.mkdir(join(this.#path, ".."), { recursive: true, mode: 0o700 });
      // createNew: two instances starting at once must not overwrite each other's key.
      try {
        await Deno.writeTextFile(this.#path, toBase64(raw) + "\n", { mode: 0o600, createNew: true });
        await Deno.chmod(this.#path, 0o600).catch(() => {});
      } catch (error) {
        if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
        return await this.#loadOrCreate();
      }
    }
    return await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
  }
}
