import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * AES-256-GCM with associated data. The associated data binds a ciphertext to the row it belongs to
 * (its id), so a ciphertext copied into another row does not decrypt. Format: v1.<iv>.<tag>.<data>,
 * base64url parts, so a future key rotation can add v2 without guessing.
 */
export function encryptString(key: Buffer, plaintext: string, associatedData: string): string {
  if (key.length !== 32) throw new Error("encryptString: key must be 32 bytes");
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(
    ".",
  );
}

export function decryptString(key: Buffer, ciphertext: string, associatedData: string): string {
  const [version, iv, tag, data] = ciphertext.split(".");
  if (version !== "v1" || !iv || !tag || data === undefined) throw new Error("decryptString: unknown format");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(associatedData, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}

export function masterKey(base64: string): Buffer {
  return Buffer.from(base64, "base64");
}
