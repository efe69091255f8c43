/**
 * Secrets at rest (SMTP passwords): AES-256-GCM through WebCrypto, with a key derived by HKDF-SHA256 from
 * the master secret (ROLEFERRY_SECRET), so a database dump alone never yields a mailbox password. Stored as
 * `v1.<iv>.<ciphertext>` (base64url): the version prefix leaves room for a key rotation later.
 *
 * The app holds one `SecretBox` (the app context's `secrets`, made by app/context.ts), which derives the
 * key once; `encryptSecret`/`decryptSecret` are the one-off forms for a caller that has only the secret.
 */
import { toBase64Url } from "./crypto.ts";

const encoder = new TextEncoder();

/** The AES key for a master secret; HKDF with a fixed purpose label keeps it apart from session keys. */
async function deriveKey(secret: string): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: encoder.encode("roleferry"),
      info: encoder.encode("roleferry:smtp-password:v1"),
    },
    base,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

function masterSecret(secret: string | undefined): string {
  if (!secret) throw new Error("secrets: no ROLEFERRY_SECRET resolved yet");
  return secret;
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const padded = text.replaceAll("-", "+").replaceAll("_", "/") + "===".slice((text.length + 3) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

async function seal(key: CryptoKey, plain: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, encoder.encode(plain));
  return `v1.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
}

function parts(stored: string): [Uint8Array<ArrayBuffer>, Uint8Array<ArrayBuffer>] {
  const parts = stored.split(".");
  if (parts.length !== 3 || parts[0] !== "v1") throw new Error("secrets: unknown format");
  return [fromBase64Url(parts[1]), fromBase64Url(parts[2])];
}

async function open(
  key: CryptoKey,
  iv: Uint8Array<ArrayBuffer>,
  data: Uint8Array<ArrayBuffer>,
): Promise<string> {
  return new TextDecoder().decode(await crypto.subtle.decrypt({ name: "AES-GCM", iv }, key, data));
}

/** Encrypts and decrypts under one master secret, read when first needed; the key is derived once per secret. */
export interface SecretBox {
  encrypt(plain: string): Promise<string>;
  decrypt(stored: string): Promise<string>;
}

/**
 * A box for the master secret `secret()` answers (read on use: the composition root resolves it at boot).
 *
 * @example
 * const box = createSecretBox(() => config.secret);
 * const stored = await box.encrypt("hunter2"); // "v1.…"
 */
export function createSecretBox(secret: () => string | undefined): SecretBox {
  let derived: { secret: string; key: Promise<CryptoKey> } | undefined;
  const key = () => {
    const current = masterSecret(secret());
    if (derived?.secret !== current) derived = { secret: current, key: deriveKey(current) };
    return derived.key;
  };
  return {
    async encrypt(plain) {
      return await seal(await key(), plain);
    },
    async decrypt(stored) {
      const [iv, data] = parts(stored);
      return await open(await key(), iv, data);
    },
  };
}

/** Encrypts `plain` under `secret` with a fresh random 96-bit IV. */
export async function encryptSecret(plain: string, secret: string | undefined): Promise<string> {
  return await seal(await deriveKey(masterSecret(secret)), plain);
}

/** Decrypts what `encryptSecret` produced; throws when the value was altered or the key differs. */
export async function decryptSecret(stored: string, secret: string | undefined): Promise<string> {
  const [iv, data] = parts(stored);
  return await open(await deriveKey(masterSecret(secret)), iv, data);
}
