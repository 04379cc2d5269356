import { and, asc, eq, isNull, or } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import { invitations, memberships, staffUsers, type StaffRole } from "#db/schema/index";
import { withTenant } from "#db/with-tenant.server";
import { invalidateAllSessions } from "~/auth/session.server";
import { recordAudit } from "~/features/audit/audit.server";
import { roleLabel } from "~/components/layouts/role-label";

/**
 * A city admin manages who may use the city's admin: change a colleague's role, take a colleague
 * off the city (人事異動 every April: access to residents' personal data must end the day someone
 * leaves), cancel a pending invitation. Every change is audited.
 *
 * Rules:
 *  - Nobody changes or removes themselves here: a city can never lose its last admin by a slip, and
 *    an admin who wants to step down asks a colleague.
 *  - The acting admin's own membership is re-read and locked with the target's in the same
 *    transaction as the change (the guard read it before, outside). Two admins demoting or removing
 *    each other at the same moment: the second finds it is no longer an admin and is refused, so one
 *    admin always remains.
 *  - Removal deletes the membership (the guards check it on every request, so access to this city
 *    ends at once) and ends every session of that person — also in another city they may serve,
 *    where they simply log in again; leaving a session of a departed employee alive is the worse risk.
 */
export type ManageActor = { staffUserId: string; ip?: string | null };
export type ManageResult = { ok: true; message: string } | { ok: false; message: string };

export const MANAGE_MESSAGES = {
  self: "ご自身の権限の変更や削除はこの画面ではできません。別の管理者に依頼してください。",
  notFound: "対象の職員が見つかりません。一覧を読み込み直してください。",
  notAdmin: "この操作は管理者だけが行えます。権限が変わった可能性があります。ページを読み込み直してください。",
  sameRole: "すでにその権限です。",
  invitationGone: "この招待はすでに使われたか、取り消されています。",
} as const;

/**
 * Locks, in one statement and in id order, the acting admin's membership and the target's, so two
 * admins acting on each other queue instead of deadlocking; the second then sees the first's change
 * (READ COMMITTED re-reads locked rows). `admin` is false when the actor is no longer an admin here.
 */
async function lockActorAndTarget(tx: DbOrTx, tenantId: string, actorUserId: string, membershipId: string | null) {
  const validId = membershipId && /^[0-9a-f-]{36}$/i.test(membershipId) ? membershipId : null;
  const rows = await tx
    .select({
      id: memberships.id,
      role: memberships.role,
      staffUserId: memberships.staffUserId,
      displayName: staffUsers.displayName,
    })
    .from(memberships)
    .innerJoin(staffUsers, eq(staffUsers.id, memberships.staffUserId))
    .where(
      and(
        eq(memberships.tenantId, tenantId),
        validId
          ? or(eq(memberships.staffUserId, actorUserId), eq(memberships.id, validId))
          : eq(memberships.staffUserId, actorUserId),
      ),
    )
    .orderBy(asc(memberships.id))
    .for("update", { of: memberships });
  const me = rows.find((r) => r.staffUserId === actorUserId);
  return { admin: me?.role === "admin", target: (validId && rows.find((r) => r.id === validId)) || null };
}

/** The colleague a change is about, locked with the actor — or why the change is refused. */
async function lockColleague(tx: DbOrTx, tenantId: string, actorUserId: string, membershipId: string) {
  const { admin, target } = await lockActorAndTarget(tx, tenantId, actorUserId, membershipId);
  if (!admin) return { refused: MANAGE_MESSAGES.notAdmin };
  if (!target) return { refused: MANAGE_MESSAGES.notFound };
  if (target.staffUserId === actorUserId) return { refused: MANAGE_MESSAGES.self };
  return target;
}

export async function changeStaffRole(
  db: Db,
  input: { tenantId: string; membershipId: string; role: StaffRole; actor: ManageActor },
): Promise<ManageResult> {
  const { tenantId, actor } = input;
  return withTenant(db, tenantId, async (tx) => {
    const target = await lockColleague(tx, tenantId, actor.staffUserId, input.membershipId);
    if ("refused" in target) return { ok: false, message: target.refused };
    if (target.role === input.role) return { ok: false, message: MANAGE_MESSAGES.sameRole };
    await tx
      .update(memberships)
      .set({ role: input.role })
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.id, target.id)));
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "staff.role.change",
      targetType: "staff_user",
      targetId: target.staffUserId,
      detail: { from: target.role, to: input.role },
      ip: actor.ip,
    });
    return { ok: true, message: `${target.displayName}さんの権限を「${roleLabel(input.role)}」に変更しました。` };
  });
}

export async function removeStaffMember(
  db: Db,
  input: { tenantId: string; membershipId: string; actor: ManageActor },
): Promise<ManageResult> {
  const { tenantId, actor } = input;
  return withTenant(db, tenantId, async (tx) => {
    const target = await lockColleague(tx, tenantId, actor.staffUserId, input.membershipId);
    if ("refused" in target) return { ok: false, message: target.refused };
    await tx.delete(memberships).where(and(eq(memberships.tenantId, tenantId), eq(memberships.id, target.id)));
    const sessionsEnded = await invalidateAllSessions(tx, "staff", target.staffUserId);
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "staff.remove",
      targetType: "staff_user",
      targetId: target.staffUserId,
      detail: { role: target.role, sessionsEnded },
      ip: actor.ip,
    });
    return {
      ok: true,
      message: `${target.displayName}さんをこの自治体の職員から外し、ログイン中の端末（${sessionsEnded}件）からログアウトさせました。`,
    };
  });
}

export async function revokeStaffInvitation(
  db: Db,
  input: { tenantId: string; invitationId: string; actor: ManageActor },
  now = new Date(),
): Promise<ManageResult> {
  const { tenantId, actor } = input;
  if (!/^[0-9a-f-]{36}$/i.test(input.invitationId)) return { ok: false, message: MANAGE_MESSAGES.invitationGone };
  return withTenant(db, tenantId, async (tx) => {
    if (!(await lockActorAndTarget(tx, tenantId, actor.staffUserId, null)).admin)
      return { ok: false, message: MANAGE_MESSAGES.notAdmin };
    const [revoked] = await tx
      .update(invitations)
      .set({ revokedAt: now })
      .where(
        and(
          eq(invitations.tenantId, tenantId),
          eq(invitations.id, input.invitationId),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      )
      .returning({ id: invitations.id, email: invitations.email, role: invitations.role });
    if (!revoked) return { ok: false, message: MANAGE_MESSAGES.invitationGone };
    await recordAudit(tx, {
      tenantId,
      actorKind: "staff",
      actorId: actor.staffUserId,
      action: "staff.invitation.revoke",
      targetType: "invitation",
      targetId: revoked.id,
      detail: { role: revoked.role },
      ip: actor.ip,
    });
    return { ok: true, message: `${revoked.email} への招待を取り消しました。メールのリンクはもう使えません。` };
  });
}
