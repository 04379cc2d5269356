import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { and, eq, lt } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { sessions, staffUsers, vendorUsers, type StaffUser, type VendorUser } from "#db/schema/index";

/**
 * Sessions after the Lucia guide (the `lucia` package itself is deprecated): the cookie holds a
 * random token; the database keeps only its SHA-256, so a leaked table yields no usable cookie.
 * Sliding expiry: a session used in its second half is extended to the full lifetime again.
 */
export const SESSION_LIFETIME_MS = 1000 * 60 * 60 * 24 * 14;
const RENEW_WHEN_REMAINING_MS = SESSION_LIFETIME_MS / 2;

export type SessionKind = "staff" | "vendor";
export type ValidSession =
  | { kind: "staff"; sessionId: string; expiresAt: Date; renewed: boolean; user: StaffUser }
  | { kind: "vendor"; sessionId: string; expiresAt: Date; renewed: boolean; user: VendorUser };

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export const sessionIdFromToken = (token: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(token)));

export async function createSession(db: DbOrTx, kind: SessionKind, userId: string, now = new Date()) {
  const token = generateSessionToken();
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
  await db.insert(sessions).values({
    id: sessionIdFromToken(token),
    kind,
    staffUserId: kind === "staff" ? userId : null,
    vendorUserId: kind === "vendor" ? userId : null,
    expiresAt,
  });
  return { token, expiresAt };
}

export async function validateSessionToken(
  db: DbOrTx,
  kind: SessionKind,
  token: string,
  now = new Date(),
): Promise<ValidSession | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const id = sessionIdFromToken(token);
  const [row] = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.id, id), eq(sessions.kind, kind)));
  if (!row) return null;
  if (row.expiresAt.getTime() <= now.getTime()) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  let expiresAt = row.expiresAt;
  let renewed = false;
  if (expiresAt.getTime() - now.getTime() < RENEW_WHEN_REMAINING_MS) {
    expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
    renewed = true;
    await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, id));
  }
  if (kind === "staff") {
    const [user] = await db.select().from(staffUsers).where(eq(staffUsers.id, row.staffUserId!));
    return user ? { kind, sessionId: id, expiresAt, renewed, user } : null;
  }
  const [user] = await db.select().from(vendorUsers).where(eq(vendorUsers.id, row.vendorUserId!));
  if (user?.disabledAt) {
    // 利用停止 deleted the sessions too; one that slipped in between is refused and removed.
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  return user ? { kind, sessionId: id, expiresAt, renewed, user } : null;
}

export async function invalidateSession(db: DbOrTx, sessionId: string) {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** "Log out everywhere": every session of this person, on every device. */
export async function invalidateAllSessions(db: DbOrTx, kind: SessionKind, userId: string) {
  const column = kind === "staff" ? sessions.staffUserId : sessions.vendorUserId;
  const deleted = await db.delete(sessions).where(eq(column, userId)).returning({ id: sessions.id });
  return deleted.length;
}

export async function deleteExpiredSessions(db: DbOrTx, now = new Date()) {
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
}
