import { and, eq, isNull, ne } from "drizzle-orm";
import type { DbOrTx, Tx } from "#db/client.server";
import { passwordResets, sessions, staffUsers, vendorUsers } from "#db/schema/index";
import { recordAudit, recordVendorAudit } from "~/features/audit/audit.server";
import { writeOutbox, writePlatformOutbox } from "~/features/outbox/outbox.server";
import type { SessionKind } from "../session.server";

/**
 * What a password change and a completed reset share (ADR 022), in the caller's transaction: the
 * new hash, the end of sessions, the end of pending reset links, the audit entry and the
 * 「パスワードが変更されました」mail. Staff: `tenantId` is the city whose page was used (its audit
 * log and outbox; the transaction is that city's withTenant). Vendor: platform audit and outbox.
 */
export type Subject = { kind: "staff"; userId: string; tenantId: string } | { kind: "vendor"; userId: string };

export async function findAccount(db: DbOrTx, kind: SessionKind, userId: string) {
  const table = kind === "staff" ? staffUsers : vendorUsers;
  const [row] = await db
    .select({ id: table.id, email: table.email, passwordHash: table.passwordHash })
    .from(table)
    .where(eq(table.id, userId));
  return row ?? null;
}

export async function applyNewPassword(
  tx: Tx,
  subject: Subject,
  input: {
    passwordHash: string;
    keepSessionId: string | null;
    action: string;
    ip?: string | null;
    detail?: Record<string, unknown>;
  },
  now = new Date(),
) {
  const table = subject.kind === "staff" ? staffUsers : vendorUsers;
  await tx.update(table).set({ passwordHash: input.passwordHash }).where(eq(table.id, subject.userId));
  const owner = subject.kind === "staff" ? sessions.staffUserId : sessions.vendorUserId;
  // Their session_two_factor marks cascade; the session that made the change (if any) stays.
  const ended = await tx
    .delete(sessions)
    .where(
      input.keepSessionId
        ? and(eq(owner, subject.userId), ne(sessions.id, input.keepSessionId))
        : eq(owner, subject.userId),
    )
    .returning({ id: sessions.id });
  const resetOwner = subject.kind === "staff" ? passwordResets.staffUserId : passwordResets.vendorUserId;
  await tx
    .update(passwordResets)
    .set({ supersededAt: now })
    .where(and(eq(resetOwner, subject.userId), isNull(passwordResets.usedAt), isNull(passwordResets.supersededAt)));
  const detail = { ...input.detail, sessionsEnded: ended.length };
  const noticeId = crypto.randomUUID();
  if (subject.kind === "staff") {
    await recordAudit(tx, {
      tenantId: subject.tenantId,
      actorKind: "staff",
      actorId: subject.userId,
      action: input.action,
      targetType: "staff_user",
      targetId: subject.userId,
      detail,
      ip: input.ip,
    });
    await writeOutbox(tx, subject.tenantId, "send-password-changed", {
      tenantId: subject.tenantId,
      kind: "staff",
      userId: subject.userId,
      noticeId,
    });
  } else {
    await recordVendorAudit(tx, { vendorUserId: subject.userId, action: input.action, detail, ip: input.ip });
    await writePlatformOutbox(tx, "send-password-changed", { kind: "vendor", userId: subject.userId, noticeId });
  }
  return { sessionsEnded: ended.length };
}
