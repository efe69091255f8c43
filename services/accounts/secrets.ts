/**
 * Secrets at rest (SMTP passwords): AES-256-GCM through WebCrypto, with a key
 * derived by HKDF-SHA256 from `config().secret`, so a database dump alone
 * never yields a mailbox password. Stored as `v1.<iv>.<ciphertext>` (base64url):
 * the version prefix leaves room for a key rotation later.
 */
import { config } from "@/fresh.config.ts";
import { toBase64Url } from "@/core/crypto.ts";

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

/** The AES key for a master secret; HKDF with a fixed purpose label keeps it apart from session keys. */
function keyFor(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = (async () => {
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
    })();
    keys.set(secret, key);
  }
  return key;
}

function masterSecret(secret?: string): string {
  const value = secret ?? config().secret;
  if (!value) throw new Error("secrets: no ROLEFERRY_SECRET resolved yet");
  return value;
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const padded = text.replaceAll("-", "+").replaceAll("_", "/") + "===".slice((text.length + 3) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

/**
 * Encrypts `plain` with a fresh random 96-bit IV.
 *
 * @example
 * const stored = await encryptSecret("hunter2"); // "v1.…"
 */
export async function encryptSecret(plain: string, secret?: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await keyFor(masterSecret(secret));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, encoder.encode(plain));
  return `v1.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
}

/** Decrypts what `encryptSecret` produced; throws when the value was altered or the key differs. */
export async function decryptSecret(stored: string, secret?: string): Promise<string> {
  const parts = stored.split(".");
  if (parts.length !== 3 || parts[0] !== "v1") throw new Error("secrets: unknown format");
  const key = await keyFor(masterSecret(secret));
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64Url(parts[1]) },
    key,
    fromBase64Url(parts[2]),
  );
  return new TextDecoder().decode(plain);
}
