import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import type { Db } from "#db/client.server";
import { twoFactorCredentials } from "#db/schema/index";
import { beginEnrolment } from "~/auth/two-factor/two-factor.server";
import { encryptString } from "~/lib/crypto.server";
import { eq } from "drizzle-orm";

/**
 * A confirmed TOTP credential with a known secret (base32), skipping the QR step: for tests and
 * for the demo vendor, whose fixed, public key lets the demo and the e2e suite compute codes.
 */
export async function enrolTotp(db: Db, key: Buffer, kind: "staff" | "vendor", userId: string, base32Secret?: string) {
  const pending = (await beginEnrolment(db, key, kind, userId))!;
  let secret = pending.secret;
  if (base32Secret) {
    secret = decodeBase32IgnorePadding(base32Secret.replace(/\s/g, "").toUpperCase());
    const secretEnc = encryptString(
      key,
      Buffer.from(secret).toString("base64"),
      `two_factor_credentials:${pending.credentialId}:secret`,
    );
    await db.update(twoFactorCredentials).set({ secretEnc }).where(eq(twoFactorCredentials.id, pending.credentialId));
  }
  await db
    .update(twoFactorCredentials)
    .set({ confirmedAt: new Date() })
    .where(eq(twoFactorCredentials.id, pending.credentialId));
  return { credentialId: pending.credentialId, secret };
}
