import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import type { Db } from "#db/client.server";
import { twoFactorCredentials } from "#db/schema/index";
import { createSession, sessionIdFromToken } from "~/auth/session.server";
import { totpCodeAt } from "~/auth/two-factor/totp.server";
import { beginEnrolment, verifySecondFactor } from "~/auth/two-factor/two-factor.server";
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

/**
 * A vendor session as after a full login: vendor staff must pass two-factor, so the account is
 * enrolled and this session verified with a code. Returns the session token (the mdg_vendor value).
 */
export async function verifiedVendorSession(db: Db, key: Buffer, vendorUserId: string) {
  const session = await createSession(db, "vendor", vendorUserId);
  const { secret } = await enrolTotp(db, key, "vendor", vendorUserId);
  const verified = await verifySecondFactor(
    db,
    key,
    { kind: "vendor", userId: vendorUserId },
    { sessionId: sessionIdFromToken(session.token), code: totpCodeAt(secret, new Date()) },
  );
  if (!verified.ok) throw new Error("vendor two-factor verification failed");
  return session.token;
}
