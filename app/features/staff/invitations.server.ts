import { TransactionRollbackError, and, desc, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { withTenant } from "#db/with-tenant.server";
import { invitations, type StaffRole } from "#db/schema/index";
import { sessionIdFromToken, generateSessionToken } from "~/auth/session.server";
import { verifyPassword } from "~/auth/password.server";
import { recordAudit } from "~/features/audit/audit.server";
import { writeOutbox } from "~/features/outbox/outbox.server";
import { decryptString, encryptString } from "~/lib/crypto.server";
import { addMembership, createStaffUser, findMembership, findStaffUserByEmail } from "./staff.server";

export const INVITATION_TTL_MS = 1000 * 60 * 60 * 72;

type Inviter = { kind: "staff"; id: string } | { kind: "vendor"; id: string };

export type CreateInvitationResult =
  { ok: true; invitationId: string; token: string } | { ok: false; field: "email"; message: string };

/**
 * Invites someone to a city's staff. The invitation row and the e-mail job are written in one
 * transaction (the e-mail goes through the outbox), so an invitation never exists without its mail.
 * Earlier pending invitations for the same address are revoked: only the newest link works.
 */
export async function createInvitation(
  db: Db,
  key: Buffer,
  input: { tenantId: string; email: string; role: StaffRole; invitedBy: Inviter; ip?: string | null },
  now = new Date(),
): Promise<CreateInvitationResult> {
  return withTenant(db, input.tenantId, async (tx) => {
    const existing = await findStaffUserByEmail(tx, input.email);
    if (existing && (await findMembership(tx, input.tenantId, existing.id))) {
      return {
        ok: false as const,
        field: "email" as const,
        message: "この方はすでにこの自治体の職員として登録されています。",
      };
    }
    await tx
      .update(invitations)
      .set({ revokedAt: now })
      .where(
        and(
          eq(invitations.tenantId, input.tenantId),
          eq(invitations.email, input.email),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      );
    const id = crypto.randomUUID();
    const token = generateSessionToken();
    await tx.insert(invitations).values({
      id,
      tenantId: input.tenantId,
      email: input.email,
      role: input.role,
      tokenHash: sessionIdFromToken(token),
      tokenCiphertext: encryptString(key, token, `invitation:${id}`),
      invitedByStaffId: input.invitedBy.kind === "staff" ? input.invitedBy.id : null,
      invitedByVendorId: input.invitedBy.kind === "vendor" ? input.invitedBy.id : null,
      expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
    });
    await writeOutbox(tx, input.tenantId, "send-staff-invitation", { tenantId: input.tenantId, invitationId: id });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorKind: input.invitedBy.kind,
      actorId: input.invitedBy.id,
      action: "staff.invite",
      targetType: "invitation",
      targetId: id,
      detail: { role: input.role },
      ip: input.ip,
    });
    return { ok: true as const, invitationId: id, token };
  });
}

/** The plain token, for the e-mail job only (decrypted from the row it is bound to). */
export function invitationToken(key: Buffer, invitation: { id: string; tokenCiphertext: string }) {
  return decryptString(key, invitation.tokenCiphertext, `invitation:${invitation.id}`);
}

export async function listPendingInvitations(db: Db, tenantId: string, now = new Date()) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({
        id: invitations.id,
        email: invitations.email,
        role: invitations.role,
        expiresAt: invitations.expiresAt,
        createdAt: invitations.createdAt,
      })
      .from(invitations)
      .where(
        and(
          eq(invitations.tenantId, tenantId),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, now),
        ),
      )
      .orderBy(desc(invitations.createdAt)),
  );
}

export type InvitationLookup =
  | { state: "valid"; email: string; role: StaffRole; hasAccount: boolean; expiresAt: Date }
  | { state: "invalid" | "expired" | "used" };

export async function lookupInvitation(
  db: Db,
  tenantId: string,
  token: string,
  now = new Date(),
): Promise<InvitationLookup> {
  if (!/^[a-z2-7]{32}$/.test(token)) return { state: "invalid" };
  return withTenant(db, tenantId, async (tx) => {
    const [inv] = await tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.tenantId, tenantId), eq(invitations.tokenHash, sessionIdFromToken(token))));
    if (!inv || inv.revokedAt) return { state: "invalid" as const };
    if (inv.acceptedAt) return { state: "used" as const };
    if (inv.expiresAt <= now) return { state: "expired" as const };
    const account = await findStaffUserByEmail(tx, inv.email);
    return {
      state: "valid" as const,
      email: inv.email,
      role: inv.role,
      hasAccount: account !== null,
      expiresAt: inv.expiresAt,
    };
  });
}

export type AcceptResult =
  { ok: true; staffUserId: string } | { ok: false; reason: "invalid" | "wrong-password"; message: string };

/**
 * Single use: the conditional UPDATE claims the invitation; a second request (double click, replayed
 * link) finds nothing to claim. Someone who already has an account (another city) proves it with
 * their existing password instead of choosing a new one.
 */
export async function acceptInvitation(
  db: Db,
  input: { tenantId: string; token: string; displayName: string; password: string; ip?: string | null },
  now = new Date(),
): Promise<AcceptResult> {
  const invalid = {
    ok: false as const,
    reason: "invalid" as const,
    message: "この招待リンクは無効です。期限切れか、すでに使用されています。管理者に再招待を依頼してください。",
  };
  if (!/^[a-z2-7]{32}$/.test(input.token)) return invalid;
  return withTenant(db, input.tenantId, async (tx) => {
    const [inv] = await tx
      .update(invitations)
      .set({ acceptedAt: now })
      .where(
        and(
          eq(invitations.tenantId, input.tenantId),
          eq(invitations.tokenHash, sessionIdFromToken(input.token)),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, now),
        ),
      )
      .returning();
    if (!inv) return invalid;
    let user = await findStaffUserByEmail(tx, inv.email);
    if (user) {
      if (!(await verifyPassword(user.passwordHash, input.password))) {
        tx.rollback(); // un-claims the invitation so the person can try again
      }
    } else {
      user = await createStaffUser(tx, { email: inv.email, displayName: input.displayName, password: input.password });
    }
    await addMembership(tx, { tenantId: input.tenantId, staffUserId: user.id, role: inv.role });
    await tx.update(invitations).set({ acceptedByStaffId: user.id }).where(eq(invitations.id, inv.id));
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorKind: "staff",
      actorId: user.id,
      action: "staff.invitation.accept",
      targetType: "invitation",
      targetId: inv.id,
      detail: { role: inv.role },
      ip: input.ip,
    });
    return { ok: true as const, staffUserId: user.id };
  }).catch((e: unknown) => {
    if (e instanceof TransactionRollbackError) {
      return {
        ok: false as const,
        reason: "wrong-password" as const,
        message: "すでにお持ちのアカウントのパスワードを入力してください。パスワードが正しくありません。",
      };
    }
    throw e;
  });
}
